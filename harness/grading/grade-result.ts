import type { ThroughputMeasurement } from "../runner/raw-run.ts";

/** How one graded test ended. */
export type Verdict = "passed" | "failed" | "error" | "not-implemented" | "timeout" | "skipped";

export interface GradedTest {
  /** Stable id, `stage.behaviour`. */
  id: string;
  stage: string;
  verdict: Verdict;
  points: number;
  earned: number;
  durationMs: number;
  /** Sanitized failure message, or the skip reason. */
  message?: string;
  expected?: string;
  actual?: string;
  /** The one next step, when we know it. */
  hint?: string;
  /** What the learner's code printed during the test (capped). */
  output?: string;
}

export interface StageResult {
  slug: string;
  title: string;
  summary: string;
  status: "passed" | "failed" | "skipped";
  points: number;
  earned: number;
  tests: GradedTest[];
}

/** A throughput comparison with its ratio (learner / reference). */
export interface PerformanceComparison extends ThroughputMeasurement {
  stage: string;
  ratio: number | null;
}

/** The whole grade, as every report renders it. */
export interface GradeResult {
  challenge: { slug: string; title: string };
  /** pass: every graded test ran and passed; fail: anything else the learner can fix; error: the harness could not grade. */
  status: "pass" | "fail" | "error";
  /** Some tests were skipped (e.g. the provider cannot inject faults). */
  partial: boolean;
  /** Only these stages were run (`--stage`). */
  stageFilter?: string;
  /** 0-100, floor of earned/available, so 100 means everything. */
  score: number;
  points: number;
  earned: number;
  stages: StageResult[];
  /** The first stage that has not passed. */
  nextStage?: string;
  /** Problems outside any one test: unhandled rejections, process.exit, a hung run. */
  runErrors: { message: string; hint?: string }[];
  performance: PerformanceComparison[];
  durationMs: number;
  /** Where it ran; filled in by the pipeline, not by grading. */
  environment?: GradeEnvironment;
}

export interface GradeEnvironment {
  provider: string;
  /** Why `auto` picked this provider. */
  providerReason?: string;
  versions: { redis?: string; postgres?: string; node: string };
  implementation: string;
  /** Whose work this is, from `--submission` (a class or hiring round). */
  submission?: string;
}
