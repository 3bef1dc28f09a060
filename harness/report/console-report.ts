import { Chalk, type ChalkInstance } from "chalk";
import type { Diagnosis } from "../doctor/diagnose.ts";
import type { BoardRow } from "../learner/board.ts";
import type { HintLookup } from "../learner/next-hint.ts";
import type { SolutionReview } from "../learner/solution-review.ts";
import type { GradedTest, GradeResult, StageResult, Verdict } from "../grading/grade-result.ts";
import { formatMs, verdictLabel } from "./verdict-text.ts";

/** The only module that imports chalk: everything else hands it data. */
export interface ConsoleStyle {
  color: boolean;
  verbose: boolean;
}

function paint(style: ConsoleStyle): ChalkInstance {
  return new Chalk({ level: style.color ? 1 : 0 });
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}

function stageMark(stage: StageResult, c: ChalkInstance): string {
  if (stage.status === "passed") return c.green("✓");
  if (stage.status === "skipped") return c.yellow("○");
  return c.red("✗");
}

function testMark(test: GradedTest, c: ChalkInstance): string {
  switch (test.verdict) {
    case "passed":
      return c.green("✓");
    case "skipped":
      return c.yellow("○");
    case "not-implemented":
      return c.dim("·");
    default:
      return c.red("✗");
  }
}

function renderTest(test: GradedTest, c: ChalkInstance, style: ConsoleStyle): string[] {
  const pts = `${test.earned}/${test.points} pt${test.points === 1 ? "" : "s"}`;
  const head = `    ${testMark(test, c)} ${test.id} ${c.dim(`(${pts}, ${formatMs(test.durationMs)})`)}${test.verdict === "passed" ? "" : " " + c.bold(verdictLabel[test.verdict])}`;
  const lines = [head];
  if (test.verdict === "passed" && !style.verbose) return lines;
  if (test.message && test.verdict !== "not-implemented") lines.push(indent(test.message, "        "));
  if (test.expected !== undefined) lines.push(`        ${c.green("Expected:")} ${test.expected}`);
  if (test.actual !== undefined) lines.push(`        ${c.red("Received:")} ${test.actual}`);
  if (test.hint && test.verdict !== "not-implemented") lines.push(`        ${c.cyan("Hint:")} ${test.hint}`);
  if (test.output && (style.verbose || test.verdict !== "passed")) lines.push(c.dim(indent(`Your code printed:\n${test.output.trimEnd()}`, "        ")));
  return lines;
}

function renderStage(stage: StageResult, index: number, c: ChalkInstance, style: ConsoleStyle): string[] {
  const score = `${stage.earned}/${stage.points}`;
  const notImplemented = stage.tests.length > 0 && stage.tests.every((test) => test.verdict === "not-implemented");
  const status = notImplemented ? c.dim("not implemented yet") : stage.status === "skipped" ? c.yellow("skipped") : "";
  const lines = [`${stageMark(stage, c)} ${c.bold(`${index + 1}. ${stage.title}`)} ${c.dim(`[${stage.slug}]`)} ${score} ${status}`.trimEnd()];
  if (notImplemented && !style.verbose) return lines;
  if (stage.status === "passed" && !style.verbose) return lines;
  let previous: GradedTest | undefined;
  for (const test of stage.tests) {
    const repeat = previous && test.verdict !== "passed" && test.message === previous.message && test.verdict === previous.verdict;
    lines.push(...(repeat ? [renderTest({ ...test, message: undefined, hint: undefined, output: undefined }, c, style)[0]! + c.dim(" (same as above)")] : renderTest(test, c, style)));
    previous = test;
  }
  return lines;
}

/** The graded report a learner reads. */
export function renderGrade(result: GradeResult, style: ConsoleStyle): string {
  const c = paint(style);
  const env = result.environment;
  const lines: string[] = [];
  const versions = env ? [env.versions.redis && `redis ${env.versions.redis}`, env.versions.postgres && `postgres ${env.versions.postgres}`].filter(Boolean).join(", ") : "";
  lines.push(`${c.bold(result.challenge.title)} ${c.dim(`(${result.challenge.slug})`)}${env ? c.dim(` · ${versions ? `${versions} via ${env.provider}` : "no services"} · node ${env.versions.node}`) : ""}`);
  if (env) lines.push(c.dim(`Grading ${env.implementation}${result.stageFilter ? `, ${result.stageFilter.includes(",") ? "stages" : "stage"} ${result.stageFilter.replaceAll(",", ", ")} only` : ""}`));
  lines.push("");
  result.stages.forEach((stage, index) => lines.push(...renderStage(stage, index, c, style)));
  if (result.runErrors.length > 0) {
    lines.push("");
    for (const error of result.runErrors) {
      lines.push(`${c.red("✗")} ${error.message}`);
      if (error.hint) lines.push(`  ${c.cyan("Hint:")} ${error.hint}`);
    }
  }
  if (result.performance.length > 0) {
    lines.push("");
    for (const p of result.performance) {
      const rate = (value: number) => `${Math.round(value).toLocaleString("en-US")} ${p.unit}`;
      const mine = p.learner === null ? `not measured (${p.error ?? "failed"})` : rate(p.learner);
      const ratio = p.ratio === null ? "" : ` → ${p.ratio.toFixed(2)}× the reference`;
      lines.push(`${c.bold("Throughput")} ${c.dim("(not graded)")} ${p.name}: yours ${mine}, reference ${rate(p.reference)}${ratio}`);
    }
  }
  lines.push("");
  lines.push(closingLine(result, c));
  lines.push(c.dim(`Finished in ${formatMs(result.durationMs)}.`));
  return lines.join("\n");
}

function closingLine(result: GradeResult, c: ChalkInstance): string {
  const passed = result.stages.filter((stage) => stage.status === "passed").length;
  const summary = `Score ${result.score}% (${result.earned}/${result.points} points) · ${passed} of ${result.stages.length} stage${result.stages.length === 1 ? "" : "s"} passed`;
  if (result.status === "pass") {
    const next = result.stageFilter ? `Grade everything: npm run grade ${result.challenge.slug}` : `See the reference and the common mistakes: npm run solution ${result.challenge.slug}`;
    return `${c.green.bold("PASSED")} ${summary}\n${next}`;
  }
  if (result.status === "error") return `${c.red.bold("NOT GRADED")} ${summary}`;
  const skipped = result.stages.flatMap((stage) => stage.tests).filter((test) => test.verdict === "skipped");
  const failing = result.stages.flatMap((stage) => stage.tests).filter((test) => test.verdict !== "passed" && test.verdict !== "skipped");
  if (failing.length === 0 && skipped.length > 0 && result.runErrors.length === 0) {
    return `${c.yellow.bold("PARTIAL")} ${summary}\nEverything that ran passed, but ${skipped.length} test${skipped.length === 1 ? " was" : "s were"} skipped: ${skipped[0]!.message}`;
  }
  const next = result.nextStage
    ? `\nNext: work on "${result.nextStage}" — npm run grade ${result.challenge.slug} -- --stage ${result.nextStage}\nStuck? npm run hint ${result.challenge.slug}`
    : "";
  return `${c.red.bold("NOT PASSED")} ${summary}${next}`;
}

/** A one-line error with its hint, for problems that stop a grade. */
export function renderError(kind: "user" | "internal", message: string, hint: string | undefined, style: ConsoleStyle): string {
  const c = paint(style);
  const head = kind === "user" ? `${c.red("error")} ${message}` : `${c.red("internal error")} ${message}\nThis is a bug in the harness; please report it with the output of --verbose.`;
  return hint ? `${head}\n${c.cyan("hint")} ${hint}` : head;
}

/** `npm run doctor`: one line per check, a fix under each failing one, and what auto picks. */
export function renderDiagnosis(diagnosis: Diagnosis, style: ConsoleStyle): string {
  const c = paint(style);
  const lines = [c.bold("Backend Katas doctor"), ""];
  for (const check of diagnosis.checks) {
    lines.push(`${check.ok ? c.green("✓") : c.yellow("✗")} ${check.name.padEnd(26)} ${check.detail}`);
    if (!check.ok && check.fix) lines.push(`  ${c.cyan("fix")} ${check.fix}`);
  }
  lines.push("");
  const verdict = diagnosis.auto.choice === "none" ? c.red("nothing") : c.bold(diagnosis.auto.choice);
  lines.push(`--services auto would use ${verdict}: ${diagnosis.auto.reason}.`);
  lines.push(diagnosis.canGrade ? c.green("Ready to grade: npm run grade <challenge>") : c.red("Not ready to grade yet: apply a fix above."));
  return lines.join("\n");
}

/** `npm run challenges`: where the learner stands and what to run next. */
export function renderBoard(rows: BoardRow[], style: ConsoleStyle, warning?: string): string {
  const c = paint(style);
  const lines: string[] = [];
  if (warning) lines.push(c.yellow(`warning: ${warning}`), "");
  lines.push(c.bold("Backend Katas"), "");
  const header = ["", "Challenge", "Difficulty", "Services", "Stages", "Best", "Last", "Next"];
  const table = rows.map((row) => {
    const done = row.best?.status === "pass";
    const mark = done ? "✓" : row.stagesPassed > 0 || row.last ? "◐" : "·";
    return [mark, `${row.title} (${row.slug})`, row.difficulty, row.services.join("+") || "none", `${row.stagesPassed}/${row.stagesTotal}`, row.best ? `${row.best.score}%` : "—", row.last ? `${row.last.score}%` : "—", row.next];
  });
  const widths = header.map((_, column) => Math.max(header[column]!.length, ...table.map((cells) => cells[column]!.length)));
  const format = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd();
  lines.push(c.dim(format(header)));
  for (const cells of table) {
    const line = format(cells);
    lines.push(cells[0] === "✓" ? c.green(line) : line);
  }
  const done = rows.filter((row) => row.best?.status === "pass").length;
  lines.push("", `${done} of ${rows.length} challenge${rows.length === 1 ? "" : "s"} passed. Reset one with: npm run challenges -- --reset <slug>`);
  return lines.join("\n");
}

/** `npm run hint <slug>`. */
export function renderHint(slug: string, lookup: HintLookup, style: ConsoleStyle): string {
  const c = paint(style);
  switch (lookup.kind) {
    case "all-passed":
      return `${c.green("Every stage of " + slug + " has passed.")} See the reference and the common mistakes: npm run solution ${slug}`;
    case "none-for-stage":
      return `No hints for stage "${lookup.stageTitle}" [${lookup.stage}] yet: the failure messages and the README are your guide (challenges/${slug}/README.md).`;
    case "hint": {
      const lines = [c.bold(`Hint ${lookup.index} of ${lookup.total} for stage "${lookup.stageTitle}" [${lookup.stage}]`), ""];
      for (const [i, earlier] of lookup.earlier.entries()) lines.push(c.dim(`${i + 1}. ${earlier}`));
      lines.push(`${lookup.index}. ${lookup.text}`, "");
      lines.push(c.dim(lookup.index < lookup.total ? `Run it again for the next hint (npm run hint ${slug}).` : "That was the last hint for this stage."));
      return lines.join("\n");
    }
  }
}

/** `npm run solution <slug>`: notes, where the code is, a diff against yours, the common mistakes. */
export function renderSolution(review: SolutionReview, style: ConsoleStyle): string {
  const c = paint(style);
  if (review.kind === "locked") {
    const score = review.bestScore === undefined ? "You have not graded it yet" : `Your best score is ${review.bestScore}%`;
    return `${c.yellow("The reference solution unlocks when the challenge passes.")} ${score}.\nKeep going: npm run grade ${review.slug}   (or see it anyway: npm run solution ${review.slug} -- --force)`;
  }
  const lines = [review.notes.trimEnd(), "", c.bold(`Reference code: ${review.referencePath}`), "", c.bold(`Your ${review.learnerPath} against the reference:`)];
  for (const line of review.diff.trimEnd().split("\n")) lines.push(line.startsWith("+") ? c.green(line) : line.startsWith("-") ? c.red(line) : line);
  lines.push("", c.bold("Common mistakes, and the test that catches each:"));
  for (const mistake of review.mistakes) lines.push(`- ${mistake.summary} ${c.dim(`(${mistake.file})`)}`, `  fails: ${mistake.mustFail.join(", ")}`);
  return lines.join("\n");
}

/** A dim progress line for stderr. */
export function renderStep(message: string, style: ConsoleStyle): string {
  return paint(style).dim(`› ${message}`);
}

export function renderHelp(flags: Record<string, { takesValue: boolean; description: string }>, challenges: string[], style: ConsoleStyle): string {
  const c = paint(style);
  const rows = Object.entries(flags).map(([flag, spec]) => `  ${(flag + (spec.takesValue ? " <value>" : "")).padEnd(24)} ${spec.description}`);
  return [
    c.bold("Usage: npm run grade <challenge> [-- flags]"),
    "",
    `Challenges: ${challenges.join(", ")}`,
    "",
    "Flags:",
    ...rows,
    "",
    "Environment: REDIS_URL, DATABASE_URL (for --services url), NO_COLOR, KATAS_RUN_TIMEOUT_MS.",
    "Exit codes: 0 passed, 1 not passed, 2 could not grade.",
  ].join("\n");
}
