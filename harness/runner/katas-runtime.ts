import type { PostgresTarget, RedisTarget, ReplicatedPostgresTarget } from "../services/types.ts";

/** What one hidden file may use, keyed by stage slug. */
export interface StageServices {
  redis?: RedisTarget;
  postgres?: PostgresTarget;
  replicatedPostgres?: ReplicatedPostgresTarget;
}

/** Connection details the runner hands the hidden suite through vitest `provide`. */
export interface KatasRuntime {
  challenge: string;
  provider: string;
  stages: Record<string, StageServices>;
  /** How a test reaches the fault controller in the grading process, or why it cannot. */
  faults: { url: string; token: string } | { unsupported: string };
  /** Exports the implementation must have (from the challenge definition). */
  exports: string[];
  /** Absolute path of the implementation under test (what `@solution` resolves to), for tests that run it in a child process. */
  implPath: string;
  /** Absolute path of the reference solution, for in-run comparisons. */
  referencePath: string;
  /** Ungraded throughput comparisons are skipped when false (e.g. in self-tests). */
  measurePerformance: boolean;
}

declare module "vitest" {
  export interface ProvidedContext {
    katas: KatasRuntime;
  }
}
