import { existsSync } from "node:fs";
import path from "node:path";
import { loadChallenge, type LoadedChallenge } from "./challenges/load-challenge.ts";
import { UsageError, UserError } from "./errors.ts";
import type { GradeResult } from "./grading/grade-result.ts";
import { gradeRun, stageSlugs } from "./grading/grade-run.ts";
import type { GradeOptions } from "./options.ts";
import { repoRoot } from "./paths.ts";
import { FaultControlServer } from "./runner/fault-control-server.ts";
import type { KatasRuntime, StageServices } from "./runner/katas-runtime.ts";
import { HiddenSuiteSession, preloadVitest, runHiddenSuite, type SuiteRunRequest } from "./runner/run-hidden-suite.ts";
import { LocalProvider } from "./services/local/local-provider.ts";
import { killMarked, killOrphanedMarks, newProcessMark } from "./services/process-marks.ts";
import { selectProvider } from "./services/select-provider.ts";
import type { Teardown } from "./services/teardown.ts";
import type { PostgresTarget, RedisTarget, ReplicatedPostgresTarget, ServiceProvider } from "./services/types.ts";
import { didYouMean } from "./text/did-you-mean.ts";

/** The environment variable that marks every process a grade's tests start. */
const processMarkVariable = "KATAS_GRADE_RUN";

/** Progress the console may show while a grade runs. */
export interface GradeProgress {
  step(message: string): void;
}

function resolveImplementation(challenge: LoadedChallenge, options: GradeOptions): string {
  const impl = options.reference ? challenge.referencePath : (options.impl ?? challenge.entryPath);
  if (!existsSync(impl)) {
    throw new UsageError(`--impl ${path.relative(process.cwd(), impl)}: no such file.`, `Point it at a module with the same exports as ${path.relative(repoRoot, challenge.entryPath)}.`);
  }
  return impl;
}

function stagesToRun(challenge: LoadedChallenge, options: GradeOptions): LoadedChallenge["stages"] {
  if (!options.stage) return challenge.stages;
  const wanted = stageSlugs(options.stage);
  const slugs = challenge.stages.map((candidate) => candidate.slug);
  for (const slug of wanted) {
    if (slugs.includes(slug)) continue;
    const suggestion = didYouMean(slug, slugs)[0];
    throw new UsageError(`${challenge.slug} has no stage "${slug}".${suggestion ? ` Did you mean "${suggestion}"?` : ""}`, `Stages: ${slugs.join(", ")}.`);
  }
  return challenge.stages.filter((stage) => wanted.includes(stage.slug));
}

async function provisionStages(challenge: LoadedChallenge, stages: LoadedChallenge["stages"], provider: ServiceProvider): Promise<Record<string, StageServices>> {
  // allSettled: one stage's failure must not start teardown while another stage's server is still starting.
  const outcomes = await Promise.allSettled(
    stages.map(async (stage) => {
      const services: StageServices = {};
      for (const kind of challenge.services) {
        const wantsOwn = [...(stage.faults ?? []), ...(stage.ownServer ?? [])].includes(kind);
        const exclusive = wantsOwn && provider.faultsUnsupportedReason === undefined;
        const target = await provider.allocate(kind, { exclusive });
        if (kind === "redis") services.redis = target as RedisTarget;
        else if (kind === "replicated-postgres") services.replicatedPostgres = target as ReplicatedPostgresTarget;
        else services.postgres = target as PostgresTarget;
      }
      return [stage.slug, services] as const;
    }),
  );
  const entries = outcomes.map((outcome) => {
    if (outcome.status === "rejected") throw outcome.reason;
    return outcome.value;
  });
  return Object.fromEntries(entries);
}

/** A prepared grade: services are up; `run()` grades once, and may be called again (watch mode). */
export interface GradeSession {
  challenge: LoadedChallenge;
  implPath: string;
  /** Grades once; may be called again (watch mode reads the implementation's folder afresh each time). */
  run(): Promise<GradeResult>;
}

/**
 * Everything before the vitest run: challenge, implementation, services. Everything it
 * starts is registered on `teardown`; the caller runs it, whatever happens.
 */
export async function prepareGrade(options: GradeOptions, teardown: Teardown, progress: GradeProgress): Promise<GradeSession> {
  const challenge = await loadChallenge(options.slug);
  const stages = stagesToRun(challenge, options);
  const implPath = resolveImplementation(challenge, options);
  // A failed load surfaces when the run awaits it; until then it must not count as unhandled.
  preloadVitest().catch(() => {});
  let { provider, reason } = await selectProvider(challenge.services, options, teardown, (message) => progress.step(message));

  const started = performance.now();
  try {
    await provider.start(challenge.services);
  } catch (error) {
    // auto picked Docker but cannot get the images (offline?): local binaries, if any, still grade.
    if (options.services !== "auto" || !(error instanceof UserError) || error.code !== "IMAGE_UNAVAILABLE" || !LocalProvider.isAvailable(challenge.services)) throw error;
    progress.step(`container images unavailable (${options.images.redis}, ${options.images.postgres}); using local binaries instead`);
    provider = new LocalProvider(teardown);
    reason = "local binaries (container images unavailable)";
    await provider.start(challenge.services);
  }
  const stageServices = await provisionStages(challenge, stages, provider);
  const versions = provider.versions();
  if (challenge.services.length > 0) {
    progress.step(
      `${challenge.services.map((kind) => `${kind} ${versions[kind] ?? ""}`.trim()).join(", ")} ready (${provider.name}${reason ? `, ${reason}` : ""}) in ${Math.round(performance.now() - started)} ms`,
    );
  }

  let faults: KatasRuntime["faults"];
  if (provider.faultsUnsupportedReason) {
    faults = { unsupported: provider.faultsUnsupportedReason };
  } else {
    const controlServer = new FaultControlServer(provider);
    const url = await controlServer.listen();
    teardown.add("fault control server", () => controlServer.close());
    faults = { url, token: controlServer.token };
  }

  // Whatever the implementation starts ends with the grade, on Ctrl-C too (each run also ends its own);
  // what a killed grade left behind ends with the next one.
  killOrphanedMarks(processMarkVariable);
  const processMark = newProcessMark(processMarkVariable);
  teardown.add("processes the implementation started", () => void killMarked(processMark));

  const request: SuiteRunRequest = {
    processMark,
    challenge,
    files: stages.map((stage) => challenge.stageFiles.get(stage.slug)!),
    parallelFiles: provider.parallelFiles,
    runTimeoutMs: options.runTimeoutMs,
    runtime: {
      challenge: challenge.slug,
      provider: provider.name,
      stages: stageServices,
      faults,
      exports: challenge.exports,
      implPath,
      referencePath: challenge.referencePath,
      measurePerformance: options.measurePerformance,
    },
  };
  // Watch mode keeps one vitest alive between regrades; a single grade closes its own.
  const session = options.watch ? new HiddenSuiteSession(request) : undefined;
  if (session) teardown.add("vitest", () => session.close());

  const run = async (): Promise<GradeResult> => {
    const raw = session ? await session.run() : await runHiddenSuite(request);
    const result = gradeRun({ challenge, stageFilter: options.stage, raw, sanitize: { implPath, repoRoot }, runTimeoutMs: options.runTimeoutMs });
    result.environment = {
      provider: provider.name,
      providerReason: reason,
      // A primary/replica pair runs one Postgres version; reports name it like any Postgres.
      versions: { redis: versions.redis, postgres: versions.postgres ?? versions["replicated-postgres"], node: process.versions.node },
      implementation: path.relative(repoRoot, implPath),
      ...(options.submission ? { submission: options.submission } : {}),
    };
    return result;
  };
  return { challenge, implPath, run };
}

/** The grade pipeline, once: challenge → services → vitest run → GradeResult. */
export async function grade(options: GradeOptions, teardown: Teardown, progress: GradeProgress): Promise<GradeResult> {
  return (await prepareGrade(options, teardown, progress)).run();
}
