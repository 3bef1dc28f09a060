import { describe, expect, test } from "vitest";
import { classifyVerdict } from "../grading/classify-verdict.ts";
import { gradeRun, type GradeInput } from "../grading/grade-run.ts";
import { sanitizeMessage } from "../grading/sanitize.ts";
import { parseGradeArgs } from "../options.ts";
import type { RawRun, RawTestResult } from "../runner/raw-run.ts";
import { didYouMean } from "../text/did-you-mean.ts";
import { toJsonReport } from "../report/json-report.ts";

function raw(id: string, overrides: Partial<RawTestResult> = {}): RawTestResult {
  const stage = id.split(".")[0]!;
  return { name: id, meta: { id, stage, points: 2 }, state: "passed", errors: [], durationMs: 5, output: "", fileStage: stage, ...overrides };
}

function input(tests: RawTestResult[], extra: Partial<RawRun> = {}): GradeInput {
  return {
    challenge: {
      slug: "demo",
      title: "Demo",
      stages: [
        { slug: "one", title: "One", summary: "" },
        { slug: "two", title: "Two", summary: "" },
      ],
    },
    raw: { tests, unhandledErrors: [], moduleErrors: [], deadlineExceeded: false, durationMs: 100, ...extra },
    sanitize: { implPath: "/home/learner/katas/challenges/demo/src/index.ts", repoRoot: "/home/learner/katas" },
    runTimeoutMs: 60_000,
  };
}

const failure = (name: string, message: string, extra: object = {}) => ({ state: "failed" as const, errors: [{ name, message, ...extra }] });

describe("classifyVerdict", () => {
  test.each([
    [raw("one.a"), "passed"],
    [raw("one.a", { state: "skipped" }), "skipped"],
    [raw("one.a", { state: "pending" }), "timeout"],
    [raw("one.a", failure("NotImplementedError", "createThing")), "not-implemented"],
    [raw("one.a", failure("AssertionError", "expected true to be false // Object.is equality", { expected: "false", actual: "true" })), "failed"],
    [raw("one.a", failure("AssertionError", "expected Error: NotImplementedError to be RangeError")), "not-implemented"],
    [raw("one.a", failure("Error", "Test timed out in 3000ms.")), "timeout"],
    [raw("one.a", failure("TypeError", "x is not a function")), "error"],
  ])("%#: %s", (test, verdict) => {
    expect(classifyVerdict(test).verdict).toBe(verdict);
  });
});

describe("gradeRun", () => {
  test("score, stage status and next stage", () => {
    const result = gradeRun(input([raw("one.a"), raw("one.b"), raw("two.a", failure("AssertionError", "nope", { expected: "1", actual: "2" })), raw("two.b")]));
    expect(result).toMatchObject({ status: "fail", score: 75, points: 8, earned: 6, nextStage: "two", partial: false });
    expect(result.stages.map((stage) => stage.status)).toEqual(["passed", "failed"]);
    expect(result.stages[1]!.tests[0]).toMatchObject({ verdict: "failed", expected: "1", actual: "2", earned: 0 });
  });

  test("all passed is a pass with score 100; a skipped test makes it partial, not a pass", () => {
    expect(gradeRun(input([raw("one.a"), raw("two.a")]))).toMatchObject({ status: "pass", score: 100 });
    const partial = gradeRun(input([raw("one.a"), raw("two.a", { state: "skipped", note: "no faults here" })]));
    expect(partial).toMatchObject({ status: "fail", partial: true, score: 50 });
    expect(partial.stages[1]).toMatchObject({ status: "skipped" });
    expect(partial.stages[1]!.tests[0]!.message).toBe("no faults here");
  });

  test("an unhandled rejection fails an otherwise perfect run, once per distinct message", () => {
    const boom = { name: "Error", message: "boom at /home/learner/katas/challenges/demo/src/index.ts:3" };
    const result = gradeRun(input([raw("one.a"), raw("two.a")], { unhandledErrors: [boom, boom] }));
    expect(result.status).toBe("fail");
    expect(result.runErrors).toHaveLength(1);
    expect(result.runErrors[0]!.message).toMatch(/2 times/);
    expect(result.runErrors[0]!.message).toContain("<solution>/index.ts:3");
  });

  test("a stage with no tests means the harness is broken", () => {
    expect(gradeRun(input([raw("one.a")])).status).toBe("error");
  });

  test("measurements are reported apart, with a ratio, and never graded", () => {
    const measurement = raw("two.throughput", { meta: { id: "two.throughput", stage: "two", points: 0, kind: "measurement", measurement: { name: "x", unit: "ops/s", learner: 50, reference: 100 } } });
    const result = gradeRun(input([raw("one.a"), raw("two.a"), measurement]));
    expect(result.status).toBe("pass");
    expect(result.performance).toEqual([expect.objectContaining({ ratio: 0.5 })]);
    expect(result.stages[1]!.tests.map((t) => t.id)).toEqual(["two.a"]);
  });

  test("the JSON report is an Exercism v3 superset", () => {
    const json = toJsonReport(gradeRun(input([raw("one.a"), raw("two.a", failure("TypeError", "x is not a function"))])));
    expect(json).toMatchObject({ version: 3, status: "fail", score: 50 });
    expect(json.tests[1]).toMatchObject({ name: "two.a", status: "error", task_id: 2, verdict: "error", points: 2, earned: 0 });
    expect(json.tests[1]!.message).toMatch(/TypeError: x is not a function[\s\S]*Hint:/);
  });
});

test("sanitizeMessage hides absolute paths and colour codes and caps length", () => {
  const context = { implPath: "/repo/challenges/demo/src/index.ts", repoRoot: "/repo" };
  expect(sanitizeMessage("\u001b[31mat /repo/challenges/demo/src/index.ts:1\u001b[39m and /repo/harness/x.ts", context)).toBe("at <solution>/index.ts:1 and harness/x.ts");
  expect(sanitizeMessage("x".repeat(5000), context).length).toBeLessThan(1600);
});

describe("parseGradeArgs", () => {
  const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseGradeArgs(argv, env, "/work", true);
  test("defaults", () => {
    expect(parse(["rate-limiter"])).toEqual({
      kind: "grade",
      options: expect.objectContaining({ slug: "rate-limiter", services: "auto", verbose: false, color: true, measurePerformance: true, runTimeoutMs: 120_000 }),
    });
  });
  test("flags, = form, env and NO_COLOR", () => {
    const parsed = parse(["rate-limiter", "--impl=x.ts", "--services", "local", "--stage", "basics", "--verbose", "--json", "out.json"], { NO_COLOR: "1", REDIS_URL: "redis://h:1/2" });
    expect(parsed).toEqual({
      kind: "grade",
      options: expect.objectContaining({ impl: "/work/x.ts", services: "local", stage: "basics", verbose: true, json: "/work/out.json", color: false, redisUrl: "redis://h:1/2" }),
    });
  });
  test.each([[["a", "b"]], [["a", "--nope"]], [["a", "--services", "cloud"]], [["a", "--impl"]], [[]]])("rejects %j", (argv) => {
    expect(() => parse(argv)).toThrow();
  });
});

test("didYouMean", () => {
  expect(didYouMean("rate-limitr", ["rate-limiter", "url-shortener"])).toEqual(["rate-limiter"]);
  expect(didYouMean("zzz", ["rate-limiter"])).toEqual([]);
});
