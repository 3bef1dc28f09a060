import type { GradedTest, GradeResult, PerformanceComparison, StageResult } from "../grading/grade-result.ts";

// Colour and cursor codes from captured output mean nothing in a rendered summary.
const ansiSequence = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
const controlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

function plain(text: string): string {
  return text.replace(ansiSequence, "").replace(controlChars, "");
}

/** Inline text safe inside a table cell: one line, pipes escaped, no accidental markup or HTML. */
function cell(text: string): string {
  return plain(text)
    .replace(/\r?\n+/g, " ")
    .replace(/[\\`*_[\]<>#~|]/g, (char) => `\\${char}`)
    .replace(/&/g, "&amp;")
    .trim();
}

/** A fence longer than any backtick run inside, so learner text cannot close it early. */
function codeBlock(text: string): string[] {
  const body = plain(text).trimEnd();
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return [`${fence}text`, body, fence];
}

function table(header: string[], align: ("left" | "right" | "center")[], rows: string[][]): string[] {
  const rule = align.map((side) => (side === "right" ? "---:" : side === "center" ? ":---:" : "---"));
  return [header, rule, ...rows].map((row) => `| ${row.join(" | ")} |`);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

const allTests = (result: GradeResult): GradedTest[] => result.stages.flatMap((stage) => stage.tests);

function resultMark(result: GradeResult): string {
  if (result.status === "pass") return "✅";
  const onlySkipped = allTests(result).every((test) => test.verdict === "passed" || test.verdict === "skipped");
  return result.status === "fail" && result.partial && onlySkipped && result.runErrors.length === 0 ? "⚠️" : "❌";
}

function stageMark(stage: StageResult): string {
  if (stage.status === "passed") return "✅";
  return stage.status === "skipped" ? "⚠️" : "❌";
}

function summaryRow(result: GradeResult): string[] {
  const stagesPassed = result.stages.filter((stage) => stage.status === "passed").length;
  return [
    resultMark(result),
    `${cell(result.challenge.title)} (\`${result.challenge.slug}\`)`,
    `${result.score}%${result.partial ? " ⚠️ partial" : ""}`,
    `${result.earned}/${result.points}`,
    `${stagesPassed}/${result.stages.length}`,
    result.environment ? cell(result.environment.provider) : "—",
  ];
}

function notes(result: GradeResult): string[] {
  const lines: string[] = [];
  if (result.status === "error") lines.push("> ❌ **Not graded:** the harness could not grade this run (see the run errors below).");
  if (result.partial) {
    const skipped = allTests(result).filter((test) => test.verdict === "skipped");
    const reason = skipped[0]?.message ? `: ${cell(skipped[0].message)}` : "";
    lines.push(`> ⚠️ **Partial grade:** ${plural(skipped.length, "test")} skipped${reason}. A partial grade is not a pass.`);
  }
  if (result.stageFilter) lines.push(`> Only stage \`${result.stageFilter}\` was graded.`);
  return lines;
}

function stageTable(result: GradeResult): string[] {
  const rows = result.stages.map((stage) => [stageMark(stage), cell(stage.title), `\`${stage.slug}\``, `${stage.earned}/${stage.points}`]);
  return table(["", "Stage", "Slug", "Points"], ["center", "left", "left", "right"], rows);
}

function runErrorList(result: GradeResult): string[] {
  if (result.runErrors.length === 0) return [];
  const items = result.runErrors.map((error) => `- ❌ ${cell(error.message)}${error.hint ? `<br>**Hint:** ${cell(error.hint)}` : ""}`);
  return ["**Errors outside any test:**", "", ...items];
}

function throughputLine(p: PerformanceComparison): string {
  const rate = (value: number) => `${Math.round(value).toLocaleString("en-US")} ${p.unit}`;
  const mine = p.learner === null ? `not measured (${p.error ?? "failed"})` : rate(p.learner);
  const ratio = p.ratio === null ? "" : ` (${p.ratio.toFixed(2)}×)`;
  return `Throughput (not graded): ${cell(p.name)} yours ${cell(mine)}, reference ${cell(rate(p.reference))}${ratio}`;
}

/** Multi-line messages and comparisons do not fit a table cell, so they follow the table in full. */
function failureDetail(test: GradedTest): string[] {
  const multiLine = test.message?.includes("\n") ?? false;
  const comparison = [test.expected !== undefined && `Expected: ${test.expected}`, test.actual !== undefined && `Received: ${test.actual}`].filter(Boolean).join("\n");
  if (!multiLine && !comparison) return [];
  const text = [multiLine ? test.message : "", comparison].filter(Boolean).join("\n\n");
  return [`**\`${test.id}\`**`, "", ...codeBlock(text), ""];
}

function failureBlock(result: GradeResult): string[] {
  const failing = allTests(result).filter((test) => test.verdict !== "passed");
  if (failing.length === 0) return [];
  const rows = failing.map((test) => {
    const message = test.message ?? "";
    const firstLine = message.includes("\n") ? `${message.split("\n")[0]} (more below)` : message;
    return [`\`${test.id}\``, test.verdict, cell(firstLine), test.hint ? cell(test.hint) : ""];
  });
  return [
    `<details><summary>Failures (${failing.length})</summary>`,
    "",
    ...table(["Test", "Verdict", "Message", "Hint"], ["left", "left", "left", "left"], rows),
    "",
    ...failing.flatMap(failureDetail),
    "</details>",
  ];
}

function challengeSection(result: GradeResult): string[] {
  // Blank lines between throughput lines, or Markdown folds them into one paragraph.
  const throughput = result.performance.flatMap((p, index) => (index === 0 ? [throughputLine(p)] : ["", throughputLine(p)]));
  const sections = [notes(result), stageTable(result), runErrorList(result), throughput, failureBlock(result)];
  return [
    `### ${resultMark(result)} ${cell(result.challenge.title)} (\`${result.challenge.slug}\`)`,
    "",
    ...sections.filter((lines) => lines.length > 0).flatMap((lines) => [...lines, ""]),
  ];
}

/**
 * A GitHub-flavoured Markdown summary for `$GITHUB_STEP_SUMMARY`: one row per challenge,
 * then each challenge's stages, failures (collapsed) and ungraded throughput comparisons.
 */
export function toMarkdownSummary(results: GradeResult[]): string {
  const lines = ["## Backend Katas results", ""];
  if (results.length === 0) return [...lines, "No challenges were graded.", ""].join("\n");
  const passed = results.filter((result) => result.status === "pass").length;
  lines.push(`${passed} of ${plural(results.length, "challenge")} passed.`, "");
  lines.push(...table(["", "Challenge", "Score", "Points", "Stages", "Provider"], ["center", "left", "right", "right", "right", "left"], results.map(summaryRow)), "");
  lines.push(...results.flatMap(challengeSection));
  return lines.join("\n");
}
