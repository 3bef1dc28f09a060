/** An error as vitest serialized it, reduced to what grading reads. */
export interface RawError {
  name: string;
  message: string;
  stack?: string;
  expected?: string;
  actual?: string;
  diff?: string;
}

/** Metadata a graded test carries (set by the test kit, read by the reporter). */
export interface GradedTestMeta {
  id: string;
  stage: string;
  points: number;
  /** A hint specific to this test, shown when it fails on an assertion. */
  hint?: string;
  /** "measurement": an ungraded comparison, reported apart from the tests. */
  kind?: "measurement";
  /** Set on ungraded comparison runs instead of points. */
  measurement?: ThroughputMeasurement;
}

/** Ops per second of the learner's code and the reference, measured side by side. */
export interface ThroughputMeasurement {
  name: string;
  unit: string;
  learner: number | null;
  reference: number;
  /** Why the learner's side could not be measured. */
  error?: string;
}

/** One test as it came out of vitest. */
export interface RawTestResult {
  name: string;
  meta?: GradedTestMeta;
  state: "passed" | "failed" | "skipped" | "pending";
  errors: RawError[];
  durationMs: number;
  /** Why it was skipped. */
  note?: string;
  /** What the learner's code printed during the test. */
  output: string;
  /** Stage slug from the file name, when meta is missing. */
  fileStage: string;
}

/** Everything a vitest run produced, before grading. */
export interface RawRun {
  tests: RawTestResult[];
  /** Errors raised outside any test (unhandled rejections, process.exit). */
  unhandledErrors: RawError[];
  /** Hidden files that failed to load, by stage. */
  moduleErrors: { stage: string; error: RawError }[];
  /** The run hit the whole-run deadline and was stopped. */
  deadlineExceeded: boolean;
  durationMs: number;
}
