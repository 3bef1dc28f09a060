import { randomUUID } from "node:crypto";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { processTable } from "../services/process-table.ts";
import { runCli } from "./run-cli.ts";

const fixture = (name: string) => path.join(import.meta.dirname, "fixtures/broken", `${name}.ts`);

/** Each kind of broken learner code yields a readable report and exit code 1, never a harness crash. */
const cases: { name: string; stage: string; verdict: string; says: RegExp; env?: NodeJS.ProcessEnv }[] = [
  { name: "throws-at-import", stage: "basics", verdict: "error", says: /threw while it was being loaded/ },
  { name: "syntax-error", stage: "basics", verdict: "error", says: /threw while it was being loaded[\s\S]*syntax-error\.ts:3/ },
  { name: "missing-export", stage: "basics", verdict: "error", says: /does not export `rateLimit`/ },
  { name: "never-resolves", stage: "http", verdict: "timeout", says: /Did not finish in time/ },
  { name: "calls-process-exit", stage: "basics", verdict: "error", says: /process\.exit unexpectedly called/ },
  { name: "unhandled-rejection", stage: "basics", verdict: "passed", says: /outside any test[\s\S]*audit log write failed/ },
  { name: "endless-loop", stage: "basics", verdict: "timeout", says: /whole run was stopped after 4 s/, env: { KATAS_RUN_TIMEOUT_MS: "4000" } },
];

test.each(cases)("$name: exit 1 with a readable report", async ({ name, stage, verdict, says, env }) => {
  const run = await runCli(["grade", "rate-limiter", "--stage", stage, "--impl", fixture(name)], { json: true, env });
  expect(run.code, run.stdout + run.stderr).toBe(1);
  expect(run.stderr).not.toMatch(/internal error/);
  expect(run.stdout).toMatch(says);
  expect(run.stdout).toMatch(/NOT PASSED/);
  expect(run.json?.status).toBe("fail");
  expect(run.json?.tests[0]?.verdict).toBe(verdict);
  expect(run.stdout, "paths are shown relative to the solution").not.toContain(path.dirname(fixture(name)) + "/");
});

/** Processes the learner's code starts (attached, detached, at import or in a call) end with the grade, however it ends. */
describe("child processes started by the implementation end with the grade", () => {
  const childrenTagged = (tag: string) => processTable().filter((row) => row.command.includes(tag) && !row.command.includes("cli.ts"));
  const outcomes = [
    { mode: "pass", code: 0, verdict: "passed" },
    { mode: "fail", code: 1, verdict: "failed" },
    { mode: "hang-once", code: 1, verdict: "timeout" },
    { mode: "loop", code: 1, verdict: "timeout", env: { KATAS_RUN_TIMEOUT_MS: "4000" } },
  ];

  test.each(outcomes)("when the grade ends with $verdict", async ({ mode, code, verdict, env }) => {
    const tag = `katas-fixture-${randomUUID()}`;
    const run = await runCli(["grade", "rate-limiter", "--stage", "basics", "--impl", fixture("starts-child-processes")], {
      json: true,
      env: { KATAS_FIXTURE_MODE: mode, KATAS_FIXTURE_TAG: tag, ...env },
    });
    expect(run.code, run.stdout + run.stderr).toBe(code);
    expect(run.json?.tests.some((t) => t.verdict === verdict), run.stdout).toBe(true);
    expect(childrenTagged(tag), "processes the implementation started, still running after the grade").toEqual([]);
  });

  /** A grade whose implementation hangs in a call, once the fixture's children are all running. */
  async function hangingGradeWithChildren() {
    const tag = `katas-fixture-${randomUUID()}`;
    let pid = 0;
    const running = runCli(["grade", "rate-limiter", "--stage", "basics", "--impl", fixture("starts-child-processes")], {
      env: { KATAS_FIXTURE_MODE: "hang", KATAS_FIXTURE_TAG: tag },
      onSpawn: (p) => (pid = p),
    });
    // Three per worker that imported the fixture: wait until the call's child exists too.
    const deadline = Date.now() + 20_000;
    while (childrenTagged(tag).length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(childrenTagged(tag).length, "children started by the fixture").toBeGreaterThanOrEqual(3);
    return { tag, pid, running };
  }

  test("when the grade is interrupted (Ctrl-C)", async () => {
    const { tag, pid, running } = await hangingGradeWithChildren();
    process.kill(pid, "SIGINT");
    const run = await running;
    expect(run.code, run.stderr).toBe(130);
    expect(childrenTagged(tag), "processes the implementation started, still running after Ctrl-C").toEqual([]);
  });

  test("when the grade is killed (SIGKILL, no teardown), by the next grade", async () => {
    const { tag, pid, running } = await hangingGradeWithChildren();
    process.kill(pid, "SIGKILL");
    expect((await running).signal).toBe("SIGKILL");
    expect(childrenTagged(tag).length, "children the killed grade could not end").toBeGreaterThanOrEqual(1);
    const next = await runCli(["grade", "rate-limiter", "--stage", "basics", "--reference"]);
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(childrenTagged(tag), "processes a killed grade's implementation started, still running after the next grade").toEqual([]);
  });
});
