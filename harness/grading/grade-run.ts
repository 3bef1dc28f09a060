import type { StageDefinition } from "../challenges/define-challenge.ts";
import type { RawRun, RawTestResult } from "../runner/raw-run.ts";
import { classifyVerdict } from "./classify-verdict.ts";
import type { GradedTest, GradeResult, PerformanceComparison, StageResult } from "./grade-result.ts";
import { hintFor } from "./hints.ts";
import { cap, learnerFrames, sanitizeMessage, type SanitizeContext } from "./sanitize.ts";

export interface GradeInput {
  challenge: { slug: string; title: string; stages: StageDefinition[] };
  stageFilter?: string;
  raw: RawRun;
  sanitize: SanitizeContext;
  runTimeoutMs: number;
}

function gradeTest(raw: RawTestResult, input: GradeInput): GradedTest {
  const meta = raw.meta ?? { id: raw.name, stage: raw.fileStage, points: 0 };
  const { verdict, error } = classifyVerdict(raw);
  const test: GradedTest = {
    id: meta.id,
    stage: meta.stage,
    verdict,
    points: meta.points,
    earned: verdict === "passed" ? meta.points : 0,
    durationMs: Math.round(raw.durationMs),
  };
  const clean = (text: string) => sanitizeMessage(text, input.sanitize);
  switch (verdict) {
    case "passed":
      break;
    case "skipped":
      test.message = raw.note ? clean(raw.note) : "skipped";
      break;
    case "not-implemented":
      test.message = "Not implemented yet.";
      test.hint = hintFor("NotImplementedError");
      break;
    case "timeout":
      test.message = error
        ? `Did not finish in time: ${clean(error.message).replace(/\. If this is a long-running test.*$/s, "")}`
        : `Did not finish: the whole run was stopped after ${Math.round(input.runTimeoutMs / 1000)} s (does your code block the event loop, e.g. an endless loop?).`;
      test.hint = hintFor("Test timed out");
      break;
    case "failed":
      test.message = clean(error!.message);
      if (error!.expected !== undefined) test.expected = cap(clean(error!.expected), 500);
      if (error!.actual !== undefined) test.actual = cap(clean(error!.actual), 500);
      test.hint = meta.hint ?? hintFor(error!.message);
      break;
    case "error": {
      const frames = learnerFrames(error!.stack, input.sanitize);
      const label = error!.name && !error!.message.startsWith(error!.name) ? `${error!.name}: ` : "";
      test.message = clean(`${label}${error!.message}`) + (frames.length > 0 ? `\n${frames.join("\n")}` : "");
      test.hint = hintFor(`${error!.name} ${error!.message}`) ?? meta.hint;
      break;
    }
  }
  if (raw.output.trim()) test.output = cap(clean(raw.output), 2000);
  return test;
}

/** The grade of a challenge the harness could not grade at all (for --all, which goes on with the others). */
export function notGradedResult(slug: string, message: string): GradeResult {
  return {
    challenge: { slug, title: slug },
    status: "error",
    partial: false,
    score: 0,
    points: 0,
    earned: 0,
    stages: [],
    runErrors: [{ message }],
    performance: [],
    durationMs: 0,
  };
}

/** The stage slugs a `--stage` filter names: one, or several separated by commas. */
export function stageSlugs(filter: string): string[] {
  return filter
    .split(",")
    .map((slug) => slug.trim())
    .filter(Boolean);
}

/** Turns a raw vitest run into a grade. Pure: same input, same grade. */
export function gradeRun(input: GradeInput): GradeResult {
  const filter = input.stageFilter ? stageSlugs(input.stageFilter) : undefined;
  const stageDefs = input.challenge.stages.filter((stage) => !filter || filter.includes(stage.slug));
  const graded: GradedTest[] = [];
  const performance: PerformanceComparison[] = [];
  for (const raw of input.raw.tests) {
    if (raw.meta?.kind === "measurement") {
      const m = raw.meta.measurement;
      if (m) performance.push({ ...m, stage: raw.meta.stage, ratio: m.learner === null || m.reference <= 0 ? null : m.learner / m.reference });
      continue;
    }
    graded.push(gradeTest(raw, input));
  }
  const unhandledCounts = new Map<string, { count: number; hint?: string }>();
  // Killing a hung worker makes the pool complain; that is our doing, not the learner's.
  const unhandled = input.raw.deadlineExceeded ? input.raw.unhandledErrors.filter((error) => !/vitest-pool|Worker .* emitted error|exited unexpectedly/i.test(error.message)) : input.raw.unhandledErrors;
  for (const error of unhandled) {
    const message = sanitizeMessage(`${error.name}: ${error.message}`, input.sanitize);
    const entry = unhandledCounts.get(message) ?? { count: 0, hint: hintFor(`${error.name} ${error.message}`) ?? hintFor("unhandled rejection") };
    entry.count++;
    unhandledCounts.set(message, entry);
  }
  const runErrors: GradeResult["runErrors"] = [...unhandledCounts].map(([message, { count, hint }]) => ({
    message: `Your code raised an error outside any test${count > 1 ? ` (${count} times)` : ""}, so the grade fails until it is fixed: ${message}`,
    hint,
  }));
  let harnessBroken = false;
  for (const { stage, error } of input.raw.moduleErrors) {
    harnessBroken = true;
    runErrors.push({ message: `The hidden suite for stage "${stage}" failed to load: ${sanitizeMessage(error.message, input.sanitize)}. This is a bug in the harness.` });
  }
  if (input.raw.deadlineExceeded) {
    runErrors.push({
      message: `The run was stopped after ${Math.round(input.runTimeoutMs / 1000)} s.`,
      hint: "Something blocked the event loop (an endless loop?) or never settled. Tests that did not finish count as timeouts.",
    });
  }
  const stages: StageResult[] = stageDefs.map((definition) => {
    const tests = graded.filter((test) => test.stage === definition.slug);
    if (tests.length === 0 && !input.raw.deadlineExceeded && input.raw.moduleErrors.length === 0) {
      harnessBroken = true;
      runErrors.push({ message: `Stage "${definition.slug}" has no tests in the run. This is a bug in the harness.` });
    }
    const points = tests.reduce((sum, test) => sum + test.points, 0);
    const earned = tests.reduce((sum, test) => sum + test.earned, 0);
    const failing = tests.length === 0 || tests.some((test) => test.verdict !== "passed" && test.verdict !== "skipped");
    const status: StageResult["status"] = failing ? "failed" : tests.every((test) => test.verdict === "passed") ? "passed" : "skipped";
    return { slug: definition.slug, title: definition.title, summary: definition.summary, status, points, earned, tests };
  });
  const points = stages.reduce((sum, stage) => sum + stage.points, 0);
  const earned = stages.reduce((sum, stage) => sum + stage.earned, 0);
  const everyTestPassed = graded.length > 0 && graded.every((test) => test.verdict === "passed");
  return {
    challenge: { slug: input.challenge.slug, title: input.challenge.title },
    status: harnessBroken ? "error" : everyTestPassed && runErrors.length === 0 ? "pass" : "fail",
    partial: graded.some((test) => test.verdict === "skipped"),
    stageFilter: input.stageFilter,
    score: points === 0 ? 0 : Math.floor((earned / points) * 100),
    points,
    earned,
    stages,
    nextStage: stages.find((stage) => stage.status !== "passed")?.slug,
    runErrors,
    performance,
    durationMs: Math.round(input.raw.durationMs),
  };
}
