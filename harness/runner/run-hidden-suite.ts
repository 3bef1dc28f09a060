import createDebug from "debug";
import type { LoadedChallenge } from "../challenges/load-challenge.ts";
import { repoRoot } from "../paths.ts";
import { GradeReporter } from "./grade-reporter.ts";
import type { KatasRuntime } from "./katas-runtime.ts";
import type { ProcessMark } from "../services/process-marks.ts";
import { killLearnerProcesses, killVitestWorkers } from "./kill-strays.ts";
import type { RawRun } from "./raw-run.ts";

const debug = createDebug("katas:runner");

export interface SuiteRunRequest {
  challenge: LoadedChallenge;
  /** Hidden files to run, one per stage. */
  files: string[];
  runtime: KatasRuntime;
  parallelFiles: boolean;
  runTimeoutMs: number;
  /** Set in every worker's environment, so whatever the implementation starts can be found and ended with the run. */
  processMark: ProcessMark;
}

let vitestModule: Promise<typeof import("vitest/node")> | undefined;

/**
 * Starts loading vitest (about a second) without waiting for it, so a grade can start its
 * servers meanwhile; `runHiddenSuite` awaits the same load.
 */
export function preloadVitest(): Promise<typeof import("vitest/node")> {
  vitestModule ??= import("vitest/node");
  return vitestModule;
}

function delay(ms: number): Promise<"deadline"> {
  return new Promise((resolve) => setTimeout(() => resolve("deadline"), ms).unref());
}

/** Runs the hidden suite in vitest against one implementation and returns what happened. */
export async function runHiddenSuite(request: SuiteRunRequest): Promise<RawRun> {
  const reporter = new GradeReporter();
  const started = performance.now();
  const signals = ["SIGINT", "SIGTERM"] as const;
  const ownListeners = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { createVitest } = await preloadVitest();
  const vitest = await createVitest(
    "test",
    {
      config: false,
      root: repoRoot,
      watch: false,
      reporters: [reporter],
      include: request.files,
      pool: "forks",
      fileParallelism: request.parallelFiles,
      // Hidden files mostly wait on Redis and timers, so one worker per file beats one per core.
      maxWorkers: request.parallelFiles ? Math.max(1, request.files.length) : 1,
      testTimeout: 5000,
      hookTimeout: 10_000,
      teardownTimeout: 2000,
      provide: { katas: request.runtime },
      env: { [request.processMark.variable]: request.processMark.value },
      passWithNoTests: true,
    },
    {
      logLevel: "silent",
      resolve: {
        alias: {
          "@solution": request.runtime.implPath,
          "@reference": request.runtime.referencePath,
        },
      },
    },
  );
  // vitest exits the process on SIGINT within a millisecond; the CLI must tear down servers first.
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) if (!ownListeners.get(signal)!.has(listener)) process.off(signal, listener);
  }
  let deadlineExceeded = false;
  try {
    const outcome = await Promise.race([vitest.start(request.files).then(() => "done" as const), delay(request.runTimeoutMs)]);
    if (outcome === "deadline") {
      deadlineExceeded = true;
      debug("run deadline of %d ms exceeded; killing workers", request.runTimeoutMs);
      killVitestWorkers();
    }
  } finally {
    // Before close: children still below a worker are found even if they scrubbed the mark.
    const killed = killLearnerProcesses(request.processMark);
    if (killed > 0) debug("killed %d processes started by the implementation", killed);
    await Promise.race([vitest.close(), delay(3000)]);
    if (deadlineExceeded) killVitestWorkers();
    killLearnerProcesses(request.processMark);
    // vitest marks failures on the process; only the CLI decides the exit code.
    process.exitCode = undefined;
  }
  return reporter.snapshot(performance.now() - started, deadlineExceeded);
}
