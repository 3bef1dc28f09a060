import { writeFileSync } from "node:fs";
import { listChallengeSlugs, loadChallenge } from "./challenges/load-challenge.ts";
import { diagnose } from "./doctor/diagnose.ts";
import { runCompose } from "./services/docker/compose.ts";
import { didYouMean } from "./text/did-you-mean.ts";
import { KatasError, UsageError, UserError } from "./errors.ts";
import { grade } from "./grade.ts";
import { environmentOptions, gradeFlags, parseGradeArgs, type GradeOptions } from "./options.ts";
import { renderDiagnosis, renderError, renderGrade, renderHelp, renderStep, type ConsoleStyle } from "./report/console-report.ts";
import { toJsonErrorReport, toJsonReport } from "./report/json-report.ts";
import { Teardown } from "./services/teardown.ts";

/** Exit codes: the contract CI scripts rely on. */
const exitCode = { passed: 0, notPassed: 1, couldNotGrade: 2, interrupted: 130 } as const;

const fallbackStyle: ConsoleStyle = { color: Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined, verbose: false };

function writeJson(file: string | undefined, value: unknown): void {
  if (file) writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

async function runGrade(options: GradeOptions, teardown: Teardown): Promise<number> {
  const style: ConsoleStyle = { color: options.color, verbose: options.verbose };
  try {
    const result = await grade(options, teardown, { step: (message) => process.stderr.write(`${renderStep(message, style)}\n`) });
    process.stdout.write(`${renderGrade(result, style)}\n`);
    writeJson(options.json, toJsonReport(result));
    if (result.status === "pass") return exitCode.passed;
    return result.status === "error" ? exitCode.couldNotGrade : exitCode.notPassed;
  } catch (error) {
    const katas = error instanceof KatasError ? error : undefined;
    writeJson(options.json, toJsonErrorReport(options.slug, katas?.code ?? "INTERNAL", (error as Error)?.message ?? String(error)));
    throw error;
  }
}

const commands = ["grade", "doctor", "services"];

async function runDoctor(): Promise<number> {
  const kinds = [...new Set((await Promise.all(listChallengeSlugs().map(loadChallenge))).flatMap((challenge) => challenge.services))];
  const diagnosis = await diagnose(environmentOptions(process.env), kinds);
  process.stdout.write(`${renderDiagnosis(diagnosis, fallbackStyle)}\n`);
  return diagnosis.canGrade ? exitCode.passed : exitCode.notPassed;
}

async function main(argv: string[], teardown: Teardown): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "doctor") return runDoctor();
  if (command === "services") {
    const action = rest[0];
    if (action !== "up" && action !== "down") throw new UsageError(`Unknown services action "${action ?? ""}".`, "Use: npm run services:up or npm run services:down");
    return runCompose(action);
  }
  if (command !== "grade") {
    const suggestion = didYouMean(command ?? "", commands)[0];
    throw new UsageError(`Unknown command "${command ?? ""}".${suggestion ? ` Did you mean "${suggestion}"?` : ""}`, "Use: npm run grade <challenge>, npm run doctor");
  }
  const parsed = parseGradeArgs(rest, process.env, process.cwd(), Boolean(process.stdout.isTTY));
  if (parsed.kind === "help") {
    process.stdout.write(`${renderHelp(gradeFlags, listChallengeSlugs(), fallbackStyle)}\n`);
    return exitCode.passed;
  }
  return runGrade(parsed.options, teardown);
}

const teardown = new Teardown();
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\nInterrupted (${signal}); stopping the servers this grade started…\n`);
    void teardown.run().finally(() => process.exit(exitCode.interrupted));
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
