import { spawn } from "node:child_process";
import path from "node:path";
import { prepareGrade } from "../grade.ts";
import type { GradeResult } from "../grading/grade-result.ts";
import { parseGradeArgs, type GradeOptions, type ProviderChoice } from "../options.ts";
import { repoRoot } from "../paths.ts";
import { Teardown } from "../services/teardown.ts";
import { summarize, type Summary } from "./statistics.ts";

/** One line of the grade-latency table. */
export interface LatencyRow {
  /** warm: a full regrade in watch mode (services and vitest up); stage: the same, one stage. */
  kind: "floor" | "cold" | "warm" | "stage";
  challenge?: string;
  provider?: string;
  stage?: string;
  seconds: Summary;
  /**
   * Warm and stage rows: the time the suite's own tests took, per run: the slowest stage's
   * tests added up (a stage's tests run one after another, stages side by side). What is
   * left of `seconds` is the harness's share.
   */
  testsSeconds?: Summary;
  /** median / the floor's median */
  ratioToFloor?: number;
}

/** Wall time of one process, in seconds; fails loudly if it did not exit 0. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`${args.join(" ")} exited ${code}: ${stderr.slice(-500)}`))));
  });
}

function gradeOptions(slug: string, provider: ProviderChoice, stage?: string): GradeOptions {
  const parsed = parseGradeArgs([slug, "--reference", "--services", provider, ...(stage ? ["--stage", stage] : [])], process.env, repoRoot, false);
  if (parsed.kind !== "grade") throw new Error("unreachable");
  // Watch mode: one vitest stays up between regrades.
  return { ...parsed.options, watch: true, measurePerformance: false };
}

/** Process start plus an empty vitest run: what no grade can beat. */
export async function measureFloor(runs: number): Promise<LatencyRow> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await timeProcess([path.join(repoRoot, "harness/bench/empty-run.ts")], {}));
  return { kind: "floor", seconds: summarize(samples) };
}

/** `npm run grade <slug> -- --reference`: a whole CLI run that starts its own services. */
export async function measureCold(slug: string, provider: ProviderChoice, runs: number): Promise<LatencyRow> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    samples.push(await timeProcess([path.join(repoRoot, "harness/cli.ts"), "grade", slug, "--reference", "--services", provider], { KATAS_MEASURE_PERFORMANCE: "0", NO_COLOR: "1" }));
  }
  return { kind: "cold", challenge: slug, provider, seconds: summarize(samples) };
}

/** Regrades with services and vitest already up, as watch mode does: every stage, or just `stage`. */
export async function measureWarm(slug: string, provider: ProviderChoice, runs: number, stage?: string): Promise<LatencyRow> {
  const teardown = new Teardown();
  try {
    const session = await prepareGrade(gradeOptions(slug, provider, stage), teardown, { step: () => {} });
    await session.run(); // the first run warms the file system cache; not counted
    const samples: number[] = [];
    const testSamples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const result = await session.run();
      if (result.status !== "pass") throw new Error(`the ${slug} reference did not pass a warm grade (score ${result.score})`);
      samples.push((performance.now() - started) / 1000);
      testSamples.push(slowestStageSeconds(result));
    }
    return { kind: stage ? "stage" : "warm", challenge: slug, provider, stage, seconds: summarize(samples), testsSeconds: summarize(testSamples) };
  } finally {
    await teardown.run();
  }
}

/** The slowest stage's tests, added up, in seconds. */
function slowestStageSeconds(result: GradeResult): number {
  const perStage = result.stages.map((stage) => stage.tests.reduce((sum, test) => sum + test.durationMs, 0));
  return Math.max(0, ...perStage) / 1000;
}
