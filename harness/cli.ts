import { writeFileSync } from "node:fs";
import { listChallengeSlugs } from "./challenges/load-challenge.ts";
import { KatasError, UsageError, UserError } from "./errors.ts";
import { grade } from "./grade.ts";
import { gradeFlags, parseGradeArgs, type GradeOptions } from "./options.ts";
import { renderError, renderGrade, renderHelp, renderStep, type ConsoleStyle } from "./report/console-report.ts";
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

async function main(argv: string[], teardown: Teardown): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== "grade") throw new UsageError(`Unknown command "${command ?? ""}".`, "Use: npm run grade <challenge>");
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
