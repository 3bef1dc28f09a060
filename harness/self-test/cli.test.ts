import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { Redis } from "ioredis";
import { repoRoot } from "../paths.ts";
import { LocalRedis, requireRedisServer } from "../services/local/local-redis.ts";
import { RunDir } from "../services/local/run-dir.ts";
import { isProcessAlive } from "../services/process-alive.ts";
import { leftoverServers, serversUnder } from "./no-leftover-processes.ts";
import { runCli } from "./run-cli.ts";

test("an unknown challenge is one line with a did-you-mean, exit 2", async () => {
  const run = await runCli(["grade", "rate-limitr"]);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/Unknown challenge "rate-limitr"\. Did you mean "rate-limiter"\?/);
  expect(run.stdout).toBe("");
});

test.each([
  [["grade", "rate-limiter", "--jsn", "x.json"], /Unknown flag --jsn\. Did you mean --json\?/],
  [["grade", "rate-limiter", "--services", "dockr"], /Unknown --services "dockr"\. Did you mean "docker"\?/],
  [["grade", "rate-limiter", "--stage", "basic"], /has no stage "basic"\. Did you mean "basics"\?/],
  [["grade", "rate-limiter", "--impl", "nope.ts"], /--impl nope\.ts: no such file/],
  [["grade", "rate-limiter", "--json"], /--json needs a value/],
  [["grade"], /Which challenge\?/],
])("bad input %j: a clear message and exit 2", async (args, message) => {
  const run = await runCli(args as string[]);
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).toMatch(/hint/);
});

test("--help lists the flags and exits 0", async () => {
  const run = await runCli(["grade", "--help"]);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/--services <value>/);
  expect(run.stdout).toMatch(/rate-limiter/);
});

test("a harness error still writes a JSON report with status error", async () => {
  const run = await runCli(["grade", "nope"], { json: true });
  expect(run.code).toBe(2);
  expect(run.json).toMatchObject({ status: "error", error_code: "UNKNOWN_CHALLENGE" });
});

test("--services url grades against a server the user runs, refuses a non-empty database, and skips fault injection", async () => {
  const runDir = new RunDir();
  const server = await LocalRedis.start(runDir, requireRedisServer(), "user-redis");
  try {
    const url = `redis://127.0.0.1:${server.port}/3`;
    const user = new Redis(url);
    await user.set("precious", "user data");
    const refused = await runCli(["grade", "rate-limiter", "--services", "url", "--stage", "basics"], { env: { REDIS_URL: url } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Redis database 3 .* holds 1 keys/);
    expect(await user.get("precious")).toBe("user data");

    const emptyUrl = `redis://127.0.0.1:${server.port}/4`;
    const graded = await runCli(["grade", "rate-limiter", "--services", "url", "--impl", "solutions/rate-limiter/index.ts"], { env: { REDIS_URL: emptyUrl }, json: true });
    expect(graded.code, graded.stdout).toBe(1);
    const skipped = graded.json!.tests.filter((t) => t.verdict === "skipped").map((t) => t.id);
    expect(skipped.sort()).toEqual(["distributed.survives-script-flush", "resilience.fail-closed", "resilience.fail-open", "resilience.recovers"]);
    expect(graded.json!.tests.filter((t) => t.verdict !== "passed" && t.verdict !== "skipped")).toEqual([]);
    expect(graded.stdout).toMatch(/PARTIAL/);
    expect(graded.stdout).toMatch(/cannot stop a server you run yourself/);
    expect(await user.get("precious"), "data in other databases is untouched").toBe("user data");
    await user.select(4);
    expect(await user.dbsize(), "the grade cleans up what it created").toBeLessThanOrEqual(0 + 10);
    user.disconnect();
  } finally {
    await server.stop();
    runDir.remove();
  }
});

test("Ctrl-C mid-grade stops every server the grade started", async () => {
  let pid = 0;
  const running = runCli(["grade", "rate-limiter", "--impl", "solutions/rate-limiter/index.ts"], { onSpawn: (p) => (pid = p) });
  // Wait until the grade's servers are up and the suite is running.
  const deadline = Date.now() + 20_000;
  let servers: string[] = [];
  while (servers.length < 3 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    servers = serversUnder(pid);
  }
  expect(servers.length, "servers started by the grade (shared, distributed's and resilience's)").toBe(3);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  process.kill(pid, "SIGINT");
  const run = await running;
  expect(run.code).toBe(130);
  expect(run.stderr).toMatch(/Interrupted/);
  const still = servers.filter((line) => isProcessAlive(Number(line.split(" ")[0])));
  expect(still, "servers still running after Ctrl-C").toEqual([]);
});

test("a Ctrl-C while vitest is being created is the CLI's to handle, not vitest's", async () => {
  const fixture = path.join(repoRoot, "harness/self-test/fixtures/interrupt-while-vitest-starts.ts");
  const run = spawnSync(process.execPath, ["--import", "tsx", fixture], { cwd: repoRoot, encoding: "utf8", timeout: 30_000 });
  expect(run.stdout + run.stderr, "vitest's own SIGINT handler exits within a millisecond, before any teardown").toMatch(/torn down/);
  expect(run.status).toBe(130);
});

test("a server that cannot start ends the grade with exit 2, and the servers that did start are stopped", async () => {
  // Postgres runs as its own user when we are root; a temp folder only root may enter stops it from starting.
  if (process.getuid?.() !== 0) return;
  const root = mkdtempSync(path.join(os.tmpdir(), "katas-unreachable-"));
  try {
    const run = await runCli(["grade", "url-shortener", "--impl", "solutions/url-shortener/index.ts"], { env: { TMPDIR: root } });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toMatch(/postgres did not start/);
    expect(leftoverServers(root), "servers still running after the failed start").toEqual([]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
