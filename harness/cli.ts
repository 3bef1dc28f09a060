import { appendFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { BenchOptions } from "./bench/run-bench.ts";
import { listChallengeSlugs, loadChallenge } from "./challenges/load-challenge.ts";
import { KatasError, UsageError, UserError } from "./errors.ts";
import type { GradeResult } from "./grading/grade-result.ts";
import { notGradedResult } from "./grading/grade-run.ts";
import { buildBoard } from "./learner/board.ts";
import { nextHint } from "./learner/next-hint.ts";
import { reviewSolution } from "./learner/solution-review.ts";
import { watchFiles } from "./learner/watch-files.ts";
import { environmentOptions, gradeFlags, parseGradeArgs, parseReportArgs, parseWorkflowArgs, type GradeOptions } from "./options.ts";
import { ProgressStore } from "./progress/progress-store.ts";
import { renderBoard, renderDiagnosis, renderError, renderGrade, renderHelp, renderHint, renderSolution, renderStep, type ConsoleStyle } from "./report/console-report.ts";
import { renderBenchReport } from "./report/bench-report.ts";
import { toJsonErrorReport, toJsonReport } from "./report/json-report.ts";
import { toJunitXml } from "./report/junit-report.ts";
import { toClassroomErrorResult, toClassroomResult } from "./report/classroom-report.ts";
import { toHtmlReport } from "./report/html-report.ts";
import { toClassCsv } from "./report/class-csv-report.ts";
import { toClassHtmlReport } from "./report/class-html-report.ts";
import { toClassMarkdownSummary } from "./report/class-markdown-summary.ts";
import { buildClassTable } from "./classroom/class-table.ts";
import { loadReports } from "./classroom/load-reports.ts";
import { toMarkdownSummary } from "./report/markdown-summary.ts";
import { runCompose } from "./services/docker/compose.ts";
import { Teardown } from "./services/teardown.ts";
import { didYouMean } from "./text/did-you-mean.ts";

/** Exit codes: the contract CI scripts rely on. */
const exitCode = { passed: 0, notPassed: 1, couldNotGrade: 2, interrupted: 130 } as const;

const fallbackStyle: ConsoleStyle = { color: Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined, verbose: false };
const commands = ["grade", "challenges", "hint", "solution", "doctor", "services", "bench", "report", "workflow-local"];

async function runBenchCommand(rest: string[]): Promise<number> {
  const options: BenchOptions = { runs: 3 };
  let json: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    const value = rest[i + 1];
    if (flag === "--") continue;
    if (flag === "--only" && (value === "grade" || value === "throughput")) options.only = value;
    else if (flag === "--json" && value) json = path.resolve(value);
    else if (flag === "--runs" && value && Number.isInteger(Number(value)) && Number(value) > 0) options.runs = Number(value);
    else if (flag === "--services" && value && value.split(",").every((name) => name === "local" || name === "docker")) options.providers = value.split(",") as BenchOptions["providers"];
    else if (flag === "--challenge" && value) {
      await Promise.all(value.split(",").map(loadChallenge)); // an unknown slug says so, with a did-you-mean
      options.challenges = value.split(",");
    } else throw new UsageError(`Bad bench argument ${flag}${value && !value.startsWith("--") ? ` ${value}` : ""}.`, "Usage: npm run bench [-- --only grade|throughput] [--challenge a,b] [--runs N] [--services local,docker] [--json file]");
    i++;
  }
  const { runBench } = await import("./bench/run-bench.ts");
  const report = await runBench(options, (message) => process.stderr.write(`${renderStep(message, fallbackStyle)}\n`));
  process.stdout.write(`${renderBenchReport(report)}\n`);
  writeJson(json, report);
  return exitCode.passed;
}

/** Progress lines go to stderr, so stdout carries only the report. */
function stepsTo(style: ConsoleStyle): { step(message: string): void } {
  return { step: (message) => process.stderr.write(`${renderStep(message, style)}\n`) };
}

function writeJson(file: string | undefined, value: unknown): void {
  if (file) writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function exitCodeOf(results: GradeResult[]): number {
  if (results.some((result) => result.status === "error")) return exitCode.couldNotGrade;
  return results.every((result) => result.status === "pass") ? exitCode.passed : exitCode.notPassed;
}

/** Only grades of the learner's own file count as progress (not --impl grades of references). */
function recordProgress(options: GradeOptions, result: GradeResult, store: ProgressStore): void {
  if (!options.impl && !options.reference) store.recordGrade(result);
}

/** JUnit, JSON, HTML, GitHub Classroom's result and the GitHub step summary, for every result of this invocation. */
function writeCiReports(options: GradeOptions, results: GradeResult[]): void {
  if (options.junit) writeFileSync(options.junit, toJunitXml(results));
  if (options.html) writeFileSync(options.html, toHtmlReport(results));
  writeJson(options.classroom, toClassroomResult(results));
  if (options.json) writeJson(options.json, results.length === 1 && !options.all ? toJsonReport(results[0]!) : { version: 3, status: exitCodeOf(results) === 0 ? "pass" : "fail", results: results.map(toJsonReport) });
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${toMarkdownSummary(results)}\n`);
}

async function gradeOnce(options: GradeOptions, teardown: Teardown, style: ConsoleStyle, store: ProgressStore): Promise<GradeResult> {
  // The grading stack (vitest, providers) loads only when a grade runs, so other commands start fast.
  const { prepareGrade } = await import("./grade.ts");
  const session = await prepareGrade(options, teardown, stepsTo(style));
  const result = await session.run();
  process.stdout.write(`${renderGrade(result, style)}\n`);
  recordProgress(options, result, store);
  return result;
}

async function runGrade(options: GradeOptions, teardown: Teardown): Promise<number> {
  const style: ConsoleStyle = { color: options.color, verbose: options.verbose };
  const store = new ProgressStore();
  if (store.warning) process.stderr.write(`${renderStep(`warning: ${store.warning}`, style)}\n`);
  if (options.watch) return runWatch(options, teardown, style, store);
  const slugs = options.all ? listChallengeSlugs() : [options.slug];
  const results: GradeResult[] = [];
  try {
    for (const slug of slugs) {
      if (options.all) process.stdout.write(`\n`);
      // Each challenge gets its own services; tear them down before the next starts.
      const own = options.all ? new Teardown() : teardown;
      if (options.all) teardown.add(`grade of ${slug}`, () => own.run());
      try {
        results.push(await gradeOnce({ ...options, slug }, own, style, store));
      } catch (error) {
        // One challenge that cannot be graded must not hide the others' grades.
        if (!options.all) throw error;
        const message = (error as Error)?.message ?? String(error);
        process.stderr.write(`${renderError(error instanceof UserError ? "user" : "internal", `${slug}: ${message}`, (error as KatasError).hint, style)}\n`);
        results.push(notGradedResult(slug, message));
      } finally {
        if (options.all) await own.run();
      }
    }
  } catch (error) {
    const katas = error instanceof KatasError ? error : undefined;
    if (results.length === 0) {
      const message = (error as Error)?.message ?? String(error);
      writeJson(options.json, { ...toJsonErrorReport(options.slug, katas?.code ?? "INTERNAL", message), ...(options.submission ? { submission: options.submission } : {}) });
      writeJson(options.classroom, toClassroomErrorResult(options.slug, message));
    }
    throw error;
  }
  writeCiReports(options, results);
  if (options.all) {
    const passed = results.filter((result) => result.status === "pass").length;
    process.stdout.write(`\n${passed} of ${results.length} challenges passed.\n`);
  }
  return exitCodeOf(results);
}

/** Services stay up; every save regrades and redraws. Ends on Ctrl-C (see the signal handler). */
async function runWatch(options: GradeOptions, teardown: Teardown, style: ConsoleStyle, store: ProgressStore): Promise<number> {
  // The grading stack (vitest, providers) loads only when a grade runs, so other commands start fast.
  const { prepareGrade } = await import("./grade.ts");
  const session = await prepareGrade(options, teardown, stepsTo(style));
  const watchedDir = path.dirname(session.implPath);
  let running = false;
  let again = false;
  const regrade = async (reason: string): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    const started = performance.now();
    try {
      const result = await session.run();
      recordProgress(options, result, store);
      if (style.color) process.stdout.write("\u001bc");
      process.stdout.write(`${renderGrade(result, style)}\n`);
      process.stdout.write(`${renderStep(`${reason} · graded in ${Math.round(performance.now() - started)} ms · watching ${path.relative(process.cwd(), watchedDir) || "."} for changes (Ctrl-C to stop)`, style)}\n`);
    } catch (error) {
      process.stdout.write(`${renderError("internal", (error as Error).message, undefined, style)}\n`);
    } finally {
      running = false;
      if (again) {
        again = false;
        void regrade("changed while grading");
      }
    }
  };
  teardown.add("file watcher", watchFiles(watchedDir, (file) => void regrade(`${file} changed`)));
  await regrade("first grade");
  // Keep running until a signal ends the process.
  return new Promise<number>(() => {});
}

function parseSlugCommand(command: string, rest: string[], allowedFlags: string[]): { slug: string; flags: Set<string> } {
  const flags = new Set(rest.filter((arg) => arg.startsWith("-")));
  for (const flag of flags) {
    if (!allowedFlags.includes(flag)) throw new UsageError(`Unknown flag ${flag} for ${command}.`, allowedFlags.length ? `It takes: ${allowedFlags.join(", ")}.` : `Usage: npm run ${command} <challenge>`);
  }
  const slug = rest.find((arg) => !arg.startsWith("-"));
  if (!slug) throw new UsageError(`Which challenge? Usage: npm run ${command} <challenge>`, `Challenges: ${listChallengeSlugs().join(", ")}.`);
  return { slug, flags };
}

async function runBoard(rest: string[]): Promise<number> {
  const store = new ProgressStore();
  if (rest[0] === "--reset") {
    const slug = rest[1];
    if (!slug) throw new UsageError("--reset needs a challenge.", "Example: npm run challenges -- --reset rate-limiter");
    await loadChallenge(slug);
    store.reset(slug);
    process.stdout.write(`Progress of ${slug} reset.\n`);
    return exitCode.passed;
  }
  if (rest.length > 0) throw new UsageError(`Unknown argument ${rest[0]} for challenges.`, "Usage: npm run challenges [-- --reset <challenge>]");
  const challenges = await Promise.all(listChallengeSlugs().map(loadChallenge));
  process.stdout.write(`${renderBoard(buildBoard(challenges, store), fallbackStyle, store.warning)}\n`);
  return exitCode.passed;
}

async function runHint(rest: string[]): Promise<number> {
  const { slug } = parseSlugCommand("hint", rest, []);
  const challenge = await loadChallenge(slug);
  const store = new ProgressStore();
  const lookup = nextHint(challenge, store.get(slug));
  if (lookup.kind === "hint") store.markHintSeen(slug, lookup.stage, Math.max(store.get(slug).hintsSeen[lookup.stage] ?? 0, lookup.index));
  process.stdout.write(`${renderHint(slug, lookup, fallbackStyle)}\n`);
  return exitCode.passed;
}

async function runSolution(rest: string[]): Promise<number> {
  const { slug, flags } = parseSlugCommand("solution", rest, ["--force"]);
  const challenge = await loadChallenge(slug);
  const review = await reviewSolution(challenge, new ProgressStore().get(slug), flags.has("--force"));
  process.stdout.write(`${renderSolution(review, fallbackStyle)}\n`);
  return review.kind === "locked" ? exitCode.notPassed : exitCode.passed;
}

async function runDoctor(): Promise<number> {
  const kinds = [...new Set((await Promise.all(listChallengeSlugs().map(loadChallenge))).flatMap((challenge) => challenge.services))];
  const { diagnose } = await import("./doctor/diagnose.ts");
  const diagnosis = await diagnose(environmentOptions(process.env), kinds);
  process.stdout.write(`${renderDiagnosis(diagnosis, fallbackStyle)}\n`);
  return diagnosis.canGrade ? exitCode.passed : exitCode.notPassed;
}

/** `report merge`: every submission's JSON reports into one class HTML table and CSV. */
function runReport(rest: string[]): number {
  const options = parseReportArgs(rest, process.cwd());
  const { entries, warnings } = loadReports(options.inputs);
  if (entries.length === 0) throw new UsageError(`No grade reports found in ${options.inputs.map((input) => path.relative(process.cwd(), input) || ".").join(", ")}.`, "Merge the files written by npm run grade -- --json <file>.");
  const table = buildClassTable(entries, warnings);
  writeFileSync(options.html, toClassHtmlReport(table));
  writeFileSync(options.csv, toClassCsv(table));
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${toClassMarkdownSummary(table)}\n`);
  for (const warning of table.warnings) process.stderr.write(`${renderStep(`warning: ${warning}`, fallbackStyle)}\n`);
  process.stdout.write(`Merged ${entries.length} report${entries.length === 1 ? "" : "s"}: ${table.submissions.length} submission${table.submissions.length === 1 ? "" : "s"} × ${table.challenges.length} challenge${table.challenges.length === 1 ? "" : "s"} → ${path.relative(process.cwd(), options.html)}, ${path.relative(process.cwd(), options.csv)}\n`);
  return exitCode.passed;
}

/** `workflow-local`: a shipped GitHub workflow's jobs and steps, in order, on this machine. */
async function runWorkflowLocal(rest: string[]): Promise<number> {
  const options = parseWorkflowArgs(rest, process.cwd());
  const { runWorkflowLocally } = await import("./workflow/run-workflow.ts");
  const jobs = await runWorkflowLocally(options, (line) => process.stdout.write(`${line}\n`));
  for (const job of jobs) process.stdout.write(`${job.conclusion === "success" ? "✓" : job.conclusion === "skipped" ? "○" : "✗"} ${job.name}: ${job.conclusion} (${job.workspace})\n`);
  return jobs.every((job) => job.conclusion !== "failure") ? exitCode.passed : exitCode.notPassed;
}

let watching = false;

async function main(argv: string[], teardown: Teardown): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "challenges":
      return runBoard(rest);
    case "hint":
      return runHint(rest);
    case "solution":
      return runSolution(rest);
    case "doctor":
      return runDoctor();
    case "bench":
      return runBenchCommand(rest);
    case "report":
      return runReport(rest);
    case "workflow-local":
      return runWorkflowLocal(rest);
    case "services": {
      const action = rest[0];
      if (action !== "up" && action !== "down") throw new UsageError(`Unknown services action "${action ?? ""}".`, "Use: npm run services:up or npm run services:down");
      return runCompose(action);
    }
    case "grade": {
      const parsed = parseGradeArgs(rest, process.env, process.cwd(), Boolean(process.stdout.isTTY));
      if (parsed.kind === "help") {
        process.stdout.write(`${renderHelp(gradeFlags, listChallengeSlugs(), fallbackStyle)}\n`);
        return exitCode.passed;
      }
      watching = parsed.options.watch;
      return runGrade(parsed.options, teardown);
    }
    default: {
      const suggestion = didYouMean(command ?? "", commands)[0];
      throw new UsageError(`Unknown command "${command ?? ""}".${suggestion ? ` Did you mean "${suggestion}"?` : ""}`, `Commands: ${commands.join(", ")}.`);
    }
  }
}

const teardown = new Teardown();
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(watching ? "\nStopped watching; stopping services…\n" : `\nInterrupted (${signal}); stopping the servers this grade started…\n`);
    // Leaving watch mode with Ctrl-C is the normal way out, not a failure.
    void teardown.run().finally(() => process.exit(watching && signal === "SIGINT" ? exitCode.passed : exitCode.interrupted));
  });
}

let code: number;
try {
  code = await main(process.argv.slice(2), teardown);
} catch (error) {
  const verbose = process.argv.includes("--verbose");
  if (error instanceof UserError) {
    process.stderr.write(`${renderError("user", error.message, error.hint, fallbackStyle)}\n`);
    if (verbose && error.cause) process.stderr.write(`${String((error.cause as Error)?.stack ?? error.cause)}\n`);
  } else {
    const message = error instanceof Error ? (verbose ? (error.stack ?? error.message) : error.message) : String(error);
    process.stderr.write(`${renderError("internal", message, undefined, fallbackStyle)}\n`);
  }
  code = exitCode.couldNotGrade;
}
await teardown.run();
if (!interrupted) process.exit(code);
