/** A backing service a challenge can ask the harness for; `replicated-postgres` is a primary with one streaming replica. */
export type ServiceKind = "redis" | "postgres" | "replicated-postgres";

/** One stage: a hidden test file `hidden/<slug>.test.ts` and the behaviour it grades. */
export interface StageDefinition {
  /** Stable slug; also the hidden file's name and every test id's prefix. */
  slug: string;
  title: string;
  /** One sentence a learner reads in the report. */
  summary: string;
  /** Services this stage stops, starts or pauses; it gets servers of its own. */
  faults?: ServiceKind[];
  /** Services this stage changes server-wide (SCRIPT FLUSH, CONFIG SET); it gets servers of its own. */
  ownServer?: ServiceKind[];
  /** Progressive hints, gentlest first. */
  hints?: string[];
}

/** What `challenges/<slug>/challenge.ts` exports as default. */
export interface ChallengeDefinition {
  slug: string;
  title: string;
  difficulty: "easy" | "medium" | "hard";
  /** One line for listings. */
  summary: string;
  services: ServiceKind[];
  /** The learner's entry file, relative to the challenge folder. @default "src/index.ts" */
  entry: string;
  /** Exports the implementation must have; a missing one is reported before any test runs it. */
  exports: string[];
  /** Stages in the order a learner should tackle them. */
  stages: StageDefinition[];
}

export type ChallengeInput = Omit<ChallengeDefinition, "entry"> & { entry?: string };

/** The one typed entry point for challenge authors. */
export function defineChallenge(input: ChallengeInput): ChallengeDefinition {
  return { entry: "src/index.ts", ...input };
}
