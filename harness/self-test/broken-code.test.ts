import path from "node:path";
import { expect, test } from "vitest";
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
