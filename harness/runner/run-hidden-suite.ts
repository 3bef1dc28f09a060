import { readdirSync } from "node:fs";
import path from "node:path";
import createDebug from "debug";
import type { LoadedChallenge } from "../challenges/load-challenge.ts";
import { repoRoot } from "../paths.ts";
import { GradeReporter } from "./grade-reporter.ts";
import type { KatasRuntime } from "./katas-runtime.ts";
import type { ProcessMark } from "../services/process-marks.ts";
import { killLearnerProcesses, killVitestWorkers } from "./kill-strays.ts";
import { withoutForeignSignalListeners } from "./foreign-signal-listeners.ts";
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

type Vitest = Awaited<ReturnType<typeof import("vitest/node")["createVitest"]>>;

async function createSuiteVitest(request: SuiteRunRequest, reporter: GradeReporter): Promise<Vitest> {
  const { createVitest } = await preloadVitest();
  return withoutForeignSignalListeners(() =>
    createVitest(
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
    ),
  );
}

/** Every file under `dir`, absolute (a learner's folder: a few files). */
function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

/**
 * One vitest instance that grades the same files again and again (watch mode): a rerun
 * reads the implementation's folder afresh and reuses everything else, so it skips
 * vitest's start-up and the transform of the suite and the kit. A run that hit its
 * deadline had its workers killed, so the next run starts from a new instance.
 */
export class HiddenSuiteSession {
  private vitest: Vitest | undefined;
  private started = false;
  private readonly reporter = new GradeReporter();

  constructor(private readonly request: SuiteRunRequest) {}

  /** Grades once; the implementation's folder is read afresh, the rest comes from vitest's cache. */
  async run(): Promise<RawRun> {
    const started = performance.now();
    this.reporter.reset();
    if (!this.vitest) {
      debug("creating vitest");
      this.vitest = await createSuiteVitest(this.request, this.reporter);
      this.started = false;
    } else {
      debug("rerun in the same vitest");
      for (const file of filesUnder(path.dirname(this.request.runtime.implPath))) this.vitest.invalidateFile(file);
    }
    const vitest = this.vitest;
    let deadlineExceeded = false;
    try {
      const running = this.started ? vitest.runTestFiles(this.request.files) : vitest.start(this.request.files);
      this.started = true;
      const outcome = await Promise.race([running.then(() => "done" as const), delay(this.request.runTimeoutMs)]);
      if (outcome === "deadline") {
        deadlineExceeded = true;
        debug("run deadline of %d ms exceeded; killing workers", this.request.runTimeoutMs);
        killVitestWorkers();
      }
    } finally {
      const killed = killLearnerProcesses(this.request.processMark);
      if (killed > 0) debug("killed %d processes started by the implementation", killed);
      if (deadlineExceeded) await this.close();
      debug("run done in %d ms", Math.round(performance.now() - started));
      // vitest marks failures on the process; only the CLI decides the exit code.
      process.exitCode = undefined;
    }
    return this.reporter.snapshot(performance.now() - started, deadlineExceeded);
  }

  /** Closes vitest and ends every worker, and whatever the implementation started. */
  async close(): Promise<void> {
    const vitest = this.vitest;
    this.vitest = undefined;
    if (!vitest) return;
    // Before close: children still below a worker are found even if they scrubbed the mark.
    killLearnerProcesses(this.request.processMark);
    await Promise.race([vitest.close(), delay(3000)]);
    killVitestWorkers();
    killLearnerProcesses(this.request.processMark);
    process.exitCode = undefined;
  }
}

/** Runs the hidden suite in vitest against one implementation, once, and returns what happened. */
export async function runHiddenSuite(request: SuiteRunRequest): Promise<RawRun> {
  const session = new HiddenSuiteSession(request);
  try {
    return await session.run();
  } finally {
    await session.close();
  }
}
