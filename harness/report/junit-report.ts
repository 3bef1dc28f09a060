import type { GradedTest, GradeEnvironment, GradeResult, StageResult, Verdict } from "../grading/grade-result.ts";

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

// CSI (colours, cursor moves) and OSC (titles, hyperlinks) sequences, as terminals and test runners emit them.
const ansiSequence = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
// Characters XML 1.0 forbids outright, including unpaired surrogates: a parser rejects the whole file over one.
const illegalXmlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const xmlEntities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

function xmlSafe(text: string): string {
  return text.replace(ansiSequence, "").replace(illegalXmlChars, "");
}

function escapeText(text: string): string {
  return xmlSafe(text).replace(/[&<>"']/g, (char) => xmlEntities[char]!);
}

// Parsers normalise raw newlines and tabs in attribute values to spaces; character references survive.
function escapeAttribute(value: string | number): string {
  return escapeText(String(value)).replace(/\r/g, "&#13;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
    .join("");
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function properties(values: [string, string | number | undefined][], indent: string): string[] {
  const present = values.filter((entry): entry is [string, string | number] => entry[1] !== undefined);
  if (present.length === 0) return [];
  return [`${indent}<properties>`, ...present.map(([name, value]) => `${indent}  <property${attributes({ name, value })}/>`), `${indent}</properties>`];
}

function countOf(verdicts: Verdict[]): Counts {
  return {
    tests: verdicts.length,
    failures: verdicts.filter((verdict) => verdict === "failed").length,
    errors: verdicts.filter((verdict) => verdict === "error" || verdict === "not-implemented" || verdict === "timeout").length,
    skipped: verdicts.filter((verdict) => verdict === "skipped").length,
  };
}

function failureBody(test: GradedTest): string {
  const parts = [test.message ?? test.verdict];
  const comparison = [test.expected !== undefined && `Expected: ${test.expected}`, test.actual !== undefined && `Received: ${test.actual}`].filter(Boolean);
  if (comparison.length > 0) parts.push(comparison.join("\n"));
  if (test.hint) parts.push(`Hint: ${test.hint}`);
  return parts.join("\n\n");
}

function outcome(test: GradedTest, indent: string): string[] {
  const message = test.message ?? test.verdict;
  switch (test.verdict) {
    case "passed":
      return [];
    case "skipped":
      return [`${indent}<skipped${attributes({ message })}/>`];
    case "failed":
      return [`${indent}<failure${attributes({ message, type: "AssertionError" })}>${escapeText(failureBody(test))}</failure>`];
    default:
      return [`${indent}<error${attributes({ message, type: test.verdict })}>${escapeText(failureBody(test))}</error>`];
  }
}

function renderTestcase(result: GradeResult, stage: StageResult, test: GradedTest): string[] {
  const open = `    <testcase${attributes({ classname: `${result.challenge.slug}.${stage.slug}`, name: test.id, time: seconds(test.durationMs) })}`;
  const body = [
    ...properties(
      [
        ["points", test.points],
        ["earned", test.earned],
        ["verdict", test.verdict],
      ],
      "      ",
    ),
    ...outcome(test, "      "),
    ...(test.output ? [`      <system-out>${escapeText(test.output)}</system-out>`] : []),
  ];
  return [`${open}>`, ...body, "    </testcase>"];
}

function environmentProperties(environment: GradeEnvironment | undefined): [string, string | undefined][] {
  if (!environment) return [];
  return [
    ["provider", environment.provider],
    ["provider.reason", environment.providerReason],
    ["implementation", environment.implementation],
    ["version.node", environment.versions.node],
    ["version.redis", environment.versions.redis],
    ["version.postgres", environment.versions.postgres],
  ];
}

function suiteProperties(result: GradeResult, stage?: StageResult): string[] {
  const stageValues: [string, string | number | undefined][] = stage
    ? [
        ["stage.status", stage.status],
        ["score", stage.points === 0 ? 0 : Math.floor((stage.earned / stage.points) * 100)],
        ["points", stage.points],
        ["earned", stage.earned],
      ]
    : [];
  return properties(
    [
      ...stageValues,
      ["challenge.status", result.status],
      ["challenge.score", result.score],
      ["challenge.points", result.points],
      ["challenge.earned", result.earned],
      ["partial", String(result.partial)],
      ["stage.filter", result.stageFilter],
      ...environmentProperties(result.environment),
    ],
    "    ",
  );
}

function renderSuite(name: string, counts: Counts, timeMs: number, body: string[]): string[] {
  return [`  <testsuite${attributes({ name, ...counts, time: seconds(timeMs) })}>`, ...body, "  </testsuite>"];
}

function stageSuite(result: GradeResult, stage: StageResult): { counts: Counts; lines: string[] } {
  const counts = countOf(stage.tests.map((test) => test.verdict));
  const timeMs = stage.tests.reduce((sum, test) => sum + test.durationMs, 0);
  const body = [...suiteProperties(result, stage), ...stage.tests.flatMap((test) => renderTestcase(result, stage, test))];
  return { counts, lines: renderSuite(`${result.challenge.slug}/${stage.slug}`, counts, timeMs, body) };
}

/** Run errors belong to no test, so they get a testcase of their own and CI lists them with the failures. */
function runErrorSuite(result: GradeResult): { counts: Counts; lines: string[] } {
  const counts: Counts = { tests: 1, failures: 0, errors: 1, skipped: 0 };
  const [first] = result.runErrors;
  const message = result.runErrors.length === 1 ? first!.message : `${result.runErrors.length} errors outside any test; the first: ${first!.message}`;
  const body = result.runErrors.map((error) => (error.hint ? `${error.message}\nHint: ${error.hint}` : error.message)).join("\n\n");
  const testcase = [
    `    <testcase${attributes({ classname: result.challenge.slug, name: "run", time: seconds(0) })}>`,
    `      <error${attributes({ message, type: "run-error" })}>${escapeText(body)}</error>`,
    "    </testcase>",
  ];
  return { counts, lines: renderSuite(result.challenge.slug, counts, 0, [...suiteProperties(result), ...testcase]) };
}

function sum(all: Counts[]): Counts {
  return all.reduce((total, counts) => ({
    tests: total.tests + counts.tests,
    failures: total.failures + counts.failures,
    errors: total.errors + counts.errors,
    skipped: total.skipped + counts.skipped,
  }), { tests: 0, failures: 0, errors: 0, skipped: 0 });
}

/**
 * The JUnit XML report for CI test reporters (GitLab, Jenkins, dorny/test-reporter,
 * mikepenz/action-junit-report): one testsuite per challenge stage, one testcase per graded
 * test with its points as properties, and run errors as an extra `run` testcase.
 */
export function toJunitXml(results: GradeResult[]): string {
  const suites = results.flatMap((result) => [
    ...result.stages.map((stage) => stageSuite(result, stage)),
    ...(result.runErrors.length > 0 ? [runErrorSuite(result)] : []),
  ]);
  const totals = sum(suites.map((suite) => suite.counts));
  const timeMs = results.reduce((total, result) => total + result.durationMs, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: "backend-katas", ...totals, time: seconds(timeMs) })}>`,
    ...suites.flatMap((suite) => suite.lines),
    "</testsuites>",
    "",
  ].join("\n");
}
