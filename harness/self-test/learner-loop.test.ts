import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "../paths.ts";
import { isProcessAlive } from "../services/process-alive.ts";
import { serversUnder } from "./no-leftover-processes.ts";
import { runCli } from "./run-cli.ts";

function tempProgress(content?: string): { file: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "katas-progress-"));
  const file = path.join(dir, "progress.json");
  if (content !== undefined) writeFileSync(file, content);
  return { file, env: { KATAS_PROGRESS_FILE: file } };
}

describe("npm run challenges", () => {
  test("a fresh board lists every challenge with what to run next", async () => {
    const { env } = tempProgress();
    const run = await runCli(["challenges"], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Distributed rate limiter \(rate-limiter\)\s+medium\s+redis\s+0\/6\s+—\s+—\s+npm run grade rate-limiter/);
  });

  test("a grade of the learner's code is recorded; --stage grades move the stage count; --reset forgets", async () => {
    const { file, env } = tempProgress();
    await runCli(["grade", "rate-limiter"], { env });
    const afterStub = JSON.parse(readFileSync(file, "utf8"));
    expect(afterStub.challenges["rate-limiter"].last).toMatchObject({ score: 0, status: "fail" });
    const board = await runCli(["challenges"], { env });
    expect(board.stdout).toMatch(/0\/6\s+0%\s+0%\s+npm run grade rate-limiter -- --stage basics/);
    const reset = await runCli(["challenges", "--reset", "rate-limiter"], { env });
    expect(reset.code).toBe(0);
    expect(JSON.parse(readFileSync(file, "utf8")).challenges["rate-limiter"]).toBeUndefined();
  });

  test("grades of other files (--impl, --reference) are not the learner's progress", async () => {
    const { file, env } = tempProgress();
    await runCli(["grade", "rate-limiter", "--reference", "--stage", "basics"], { env });
    expect(existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).challenges["rate-limiter"] : undefined).toBeUndefined();
  });

  test("a corrupt progress file is set aside with a warning, never a crash", async () => {
    const { file, env } = tempProgress("{ this is not json");
    const run = await runCli(["challenges"], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/warning: Progress file .* could not be read/);
    expect(run.stdout).toMatch(/rate-limiter/);
    expect(readdirSync(path.dirname(file)).some((name) => name.startsWith("progress.json.unreadable-"))).toBe(true);
    const old = tempProgress(JSON.stringify({ version: 0, stuff: [] }));
    expect((await runCli(["challenges"], { env: old.env })).stdout).toMatch(/not a version 1 progress file/);
  });
});

describe("npm run hint", () => {
  test("shows the next unseen hint of the first stage that has not passed, in order", async () => {
    const { env } = tempProgress(JSON.stringify({ version: 1, challenges: { "rate-limiter": { stages: { basics: "passed" }, hintsSeen: {} } } }));
    const first = await runCli(["hint", "rate-limiter"], { env });
    expect(first.stdout).toMatch(/Hint 1 of 2 for stage "Rolling window" \[rolling-window\]/);
    expect(first.stdout).toMatch(/fixed window/);
    const second = await runCli(["hint", "rate-limiter"], { env });
    expect(second.stdout).toMatch(/Hint 2 of 2/);
    expect(second.stdout).toMatch(/1\. A counter per fixed window/);
    expect(second.stdout).toMatch(/That was the last hint/);
    const third = await runCli(["hint", "rate-limiter"], { env });
    expect(third.stdout).toMatch(/Hint 2 of 2/);
  });

  test("a failing grade points at the hints", async () => {
    const { env } = tempProgress();
    const run = await runCli(["grade", "rate-limiter", "--stage", "basics"], { env });
    expect(run.stdout).toMatch(/Stuck\? npm run hint rate-limiter/);
  });
});

describe("npm run solution", () => {
  test("stays locked until the challenge passes, says the score and how to see it anyway", async () => {
    const { env } = tempProgress(JSON.stringify({ version: 1, challenges: { "rate-limiter": { stages: {}, hintsSeen: {}, best: { score: 42, status: "fail", at: "x" } } } }));
    const run = await runCli(["solution", "rate-limiter"], { env });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/best score is 42%/);
    expect(run.stdout).toMatch(/npm run solution rate-limiter -- --force/);
  });

  test("after a pass: notes, the code's path, a diff against the learner's file, and the mistakes with their tests", async () => {
    const { env } = tempProgress(JSON.stringify({ version: 1, challenges: { "rate-limiter": { stages: {}, hintsSeen: {}, best: { score: 100, status: "pass", at: "x" } } } }));
    const run = await runCli(["solution", "rate-limiter"], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/## Common mistakes|Common mistakes/);
    expect(run.stdout).toMatch(/Reference code: solutions\/rate-limiter\/index\.ts/);
    expect(run.stdout).toMatch(/^\+\+\+ .*solutions\/rate-limiter\/index\.ts/m);
    expect(run.stdout).toMatch(/Fixed-window counter|fixed-window counter/i);
    expect(run.stdout).toMatch(/fails: distributed\.server-clock/);
    const forced = await runCli(["solution", "rate-limiter", "--force"], { env: tempProgress().env });
    expect(forced.code).toBe(0);
  });
});

describe("reports for CI", () => {
  test("--junit writes XML a test reporter can read; GITHUB_STEP_SUMMARY gets a Markdown summary", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "katas-ci-"));
    const junit = path.join(dir, "junit.xml");
    const summary = path.join(dir, "summary.md");
    writeFileSync(summary, "previous step\n");
    const run = await runCli(["grade", "rate-limiter", "--stage", "basics", "--junit", junit], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(run.code).toBe(1);
    const xml = readFileSync(junit, "utf8");
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>/);
    expect(xml.match(/<testcase /g)?.length).toBe(6);
    expect(xml).toMatch(/<property name="points" value="2"\s*\/>/);
    expect(xml).toMatch(/<error [^>]*type="not-implemented"/);
    const markdown = readFileSync(summary, "utf8");
    expect(markdown.startsWith("previous step\n"), "the summary is appended, not overwritten").toBe(true);
    expect(markdown).toMatch(/\|.*rate-limiter|Distributed rate limiter/);
  });

  test("--all grades every challenge with one combined exit code", async () => {
    const references = await runCli(["grade", "--all", "--reference"], { json: true });
    expect(references.code, references.stdout).toBe(0);
    expect(references.stdout).toMatch(/challenges passed/);
    const stubs = await runCli(["grade", "--all"], {});
    expect(stubs.code).toBe(1);
    const cannot = await runCli(["grade", "--all", "--services", "url"], { env: { REDIS_URL: "", DATABASE_URL: "" } });
    expect(cannot.code).toBe(2);
    const misuse = await runCli(["grade", "rate-limiter", "--all"]);
    expect(misuse.code).toBe(2);
  }, 600_000); // eleven challenges graded twice, beside the rest of the self-test on 2 cores
});

test("--watch regrades on save (also a save by rename), shows a syntax error as a report, stops an endless loop, and Ctrl-C leaves nothing running", async () => {
  const dir = path.join(repoRoot, ".katas", `watch-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const impl = path.join(dir, "index.ts");
  writeFileSync(impl, readFileSync(path.join(repoRoot, "challenges/rate-limiter/src/index.ts"), "utf8"));
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "harness/cli.ts"), "grade", "rate-limiter", "--stage", "basics", "--impl", impl, "--watch"], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: "1", KATAS_SERVICES: "local", KATAS_MEASURE_PERFORMANCE: "0", KATAS_RUN_TIMEOUT_MS: "4000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const waitFor = async (pattern: RegExp, from: number) => {
    const deadline = Date.now() + 20_000;
    while (!pattern.test(output.slice(from)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(output.slice(from)).toMatch(pattern);
  };
  try {
    await waitFor(/first grade · graded in \d+ ms · watching/, 0);
    expect(output).toMatch(/not implemented yet/);
    let mark = output.length;
    writeFileSync(impl, `export * from ${JSON.stringify(path.join(repoRoot, "solutions/rate-limiter/index.ts"))};\n`);
    await waitFor(/PASSED Score 100%[\s\S]*index\.ts changed · graded in (\d+) ms/, mark);
    mark = output.length;
    // Saved the way vim and sed -i save: a new file renamed over the old one.
    writeFileSync(`${impl}.swp`, "export const broken = ;\n");
    renameSync(`${impl}.swp`, impl);
    await waitFor(/Your code threw while it was being loaded[\s\S]*changed · graded in/, mark);
    // An endless loop is stopped at the run deadline, and the next save grades normally again.
    mark = output.length;
    writeFileSync(impl, `export * from ${JSON.stringify(path.join(import.meta.dirname, "fixtures/broken/endless-loop.ts"))};\n`);
    await waitFor(/whole run was stopped after 4 s[\s\S]*changed · graded in/, mark);
    mark = output.length;
    writeFileSync(impl, `export * from ${JSON.stringify(path.join(repoRoot, "solutions/rate-limiter/index.ts"))};\n`);
    await waitFor(/PASSED Score 100%[\s\S]*index\.ts changed · graded in/, mark);
    const servers = serversUnder(child.pid!);
    expect(servers.length).toBeGreaterThan(0);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code, output).toBe(0);
    expect(output).toMatch(/Stopped watching/);
    const alive = servers.filter((line) => isProcessAlive(Number(line.split(" ")[0])));
    expect(alive).toEqual([]);
  } finally {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});
