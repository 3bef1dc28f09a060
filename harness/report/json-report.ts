import type { GradedTest, GradeResult } from "../grading/grade-result.ts";

/** Bumped on any breaking change to the fields below. */
export const jsonReportVersion = 1;

function exercismStatus(test: GradedTest): "pass" | "fail" | "error" {
  if (test.verdict === "passed") return "pass";
  if (test.verdict === "failed" || test.verdict === "skipped") return "fail";
  return "error";
}

function exercismMessage(test: GradedTest): string | null {
  if (test.verdict === "passed") return null;
  const parts = [test.verdict === "skipped" ? `skipped: ${test.message}` : test.message];
  if (test.expected !== undefined) parts.push(`Expected: ${test.expected}`);
  if (test.actual !== undefined) parts.push(`Received: ${test.actual}`);
  if (test.hint) parts.push(`Hint: ${test.hint}`);
  return parts.filter(Boolean).join("\n");
}

/**
 * The JSON report: a superset of the Exercism test-runner `results.json` (v3:
 * `status`, `message`, `tests[].{name,status,message,output,task_id}`) with points,
 * stages, verdicts, durations, provider and versions.
 */
export function toJsonReport(result: GradeResult) {
  const stageIndex = new Map(result.stages.map((stage, index) => [stage.slug, index + 1]));
  return {
    version: 3,
    katas_report_version: jsonReportVersion,
    status: result.status,
    message: result.status === "error" ? result.runErrors.map((error) => error.message).join("\n") : null,
    challenge: result.challenge,
    score: result.score,
    points: result.points,
    earned: result.earned,
    partial: result.partial,
    stage_filter: result.stageFilter ?? null,
    next_stage: result.nextStage ?? null,
    duration_ms: result.durationMs,
    environment: result.environment ?? null,
    run_errors: result.runErrors,
    stages: result.stages.map(({ tests, ...stage }) => ({ ...stage, tests: tests.map((test) => test.id) })),
    tests: result.stages.flatMap((stage) =>
      stage.tests.map((test) => ({
        name: test.id,
        status: exercismStatus(test),
        message: exercismMessage(test),
        output: test.output ?? null,
        task_id: stageIndex.get(test.stage) ?? null,
        id: test.id,
        stage: test.stage,
        verdict: test.verdict,
        points: test.points,
        earned: test.earned,
        duration_ms: test.durationMs,
        expected: test.expected ?? null,
        actual: test.actual ?? null,
        hint: test.hint ?? null,
      })),
    ),
    performance: result.performance,
  };
}

/** The JSON written when the harness could not grade at all (exit code 2). */
export function toJsonErrorReport(slug: string, code: string, message: string) {
  return { version: 3, katas_report_version: jsonReportVersion, status: "error", message, error_code: code, challenge: { slug }, tests: [] };
}
