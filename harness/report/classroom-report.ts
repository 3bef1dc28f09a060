import type { GradedTest, GradeResult } from "../grading/grade-result.ts";
import { plainText } from "../text/plain-text.ts";

/** One test as GitHub Classroom's autograding reporter reads it. */
export interface ClassroomTest {
  name: string;
  status: "pass" | "fail" | "error";
  message: string;
  test_code: string;
  filename: string;
  line_no: number;
  execution_time: string;
  /** Points earned; the reporter adds these up against `max_score`. */
  score: number;
}

/**
 * The result a grader step hands `classroom-resources/autograding-grading-reporter`
 * (base64-encoded, as the step output `result`): the runner-result format v1.
 */
export interface ClassroomResult {
  version: 1;
  status: "pass" | "fail" | "error";
  max_score: number;
  tests: ClassroomTest[];
}

function status(test: GradedTest): ClassroomTest["status"] {
  if (test.verdict === "passed") return "pass";
  return test.verdict === "failed" || test.verdict === "skipped" ? "fail" : "error";
}

function message(test: GradedTest): string {
  if (test.verdict === "passed") return "";
  if (test.verdict === "not-implemented") return "not implemented yet";
  const parts = [test.verdict === "skipped" ? `skipped (does not count as passed): ${test.message ?? ""}` : (test.message ?? test.verdict)];
  if (test.expected !== undefined) parts.push(`Expected: ${test.expected}`);
  if (test.actual !== undefined) parts.push(`Received: ${test.actual}`);
  if (test.hint) parts.push(`Hint: ${test.hint}`);
  return plainText(parts.join("\n"));
}

/**
 * Every graded test of every result as one Classroom runner result: a test per graded
 * test (named `challenge/stage.behaviour` when several challenges were graded), its
 * earned points as `score`, and the points available as `max_score`.
 */
export function toClassroomResult(results: GradeResult[]): ClassroomResult {
  const prefix = results.length > 1;
  const tests = results.flatMap((result) =>
    result.stages.flatMap((stage) =>
      stage.tests.map((test) => ({
        name: `${prefix ? `${result.challenge.slug}/` : ""}${test.id}`,
        status: status(test),
        message: message(test),
        test_code: `npm run grade ${result.challenge.slug} -- --stage ${stage.slug}`,
        filename: `challenges/${result.challenge.slug}/hidden/${stage.slug}.test.ts`,
        line_no: 0,
        execution_time: `${(test.durationMs / 1000).toFixed(2)}s`,
        score: test.earned,
      })),
    ),
  );
  // Errors outside any test (a crash at import, a hung run) must show up in Classroom too.
  const runErrors = results.flatMap((result) =>
    result.runErrors.map((error) => ({
      name: `${result.challenge.slug}: error outside any test`,
      status: "error" as const,
      message: [error.message, error.hint && `Hint: ${error.hint}`].filter(Boolean).join("\n"),
      test_code: `npm run grade ${result.challenge.slug}`,
      filename: "",
      line_no: 0,
      execution_time: "0.00s",
      score: 0,
    })),
  );
  const overall = results.some((result) => result.status === "error") ? "error" : results.length > 0 && results.every((result) => result.status === "pass") ? "pass" : "fail";
  return { version: 1, status: overall, max_score: results.reduce((sum, result) => sum + result.points, 0), tests: [...tests, ...runErrors] };
}

/** What is written when the harness could not grade at all (exit code 2): Classroom shows the error, 0 points. */
export function toClassroomErrorResult(slug: string, text: string): ClassroomResult {
  return {
    version: 1,
    status: "error",
    max_score: 0,
    tests: [{ name: `${slug || "grade"}: could not grade`, status: "error", message: text, test_code: `npm run grade ${slug}`, filename: "", line_no: 0, execution_time: "0.00s", score: 0 }],
  };
}
