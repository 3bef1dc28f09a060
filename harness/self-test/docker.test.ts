import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { probeContainerRuntime } from "../services/docker/container-runtime.ts";
import { cliPids, runCli } from "./run-cli.ts";

/**
 * The docker provider, end to end. CI sets KATAS_REQUIRE_DOCKER=1 (and image variables
 * for its offline images), so a missing runtime fails there instead of skipping.
 */
const runtime = await probeContainerRuntime();
if (!runtime.ok && process.env.KATAS_REQUIRE_DOCKER === "1") throw new Error(`KATAS_REQUIRE_DOCKER=1 but no container runtime answered: ${runtime.reason}`);

const reference = "solutions/rate-limiter/index.ts";
const docker = { KATAS_SERVICES: "docker" };

/** Containers the grades of this self-test started, still present in any state (another program's grades never count). */
function katasContainers(): string[] {
  return execFileSync("docker", ["ps", "-a", "--filter", "label=dev.backend-katas.run", "--format", '{{.ID}} {{.Label "dev.backend-katas.owner-pid"}}'], { encoding: "utf8" })
    .split("\n")
    .map((line) => line.trim().split(" "))
    .filter(([id, owner]) => id && (cliPids.has(Number(owner)) || Number(owner) === process.pid))
    .map(([id]) => id!);
}

describe.skipIf(!runtime.ok)("--services docker", () => {
  test("grades the reference to 100% in containers, with fault injection, and removes every container", async () => {
    expect(katasContainers()).toEqual([]);
    const run = await runCli(["grade", "rate-limiter", "--impl", reference], { json: true, env: docker });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.json?.score).toBe(100);
    expect((run.json as unknown as { environment: { provider: string } }).environment.provider).toBe("docker");
    expect(run.stdout).toMatch(/via docker/);
    expect(run.stderr, "a progress line per container with its start time").toMatch(/redis container \(.+\) started in \d+ ms/);
    expect(run.json?.tests.filter((t) => t.stage === "resilience" && t.verdict === "passed")).toHaveLength(3);
    expect(katasContainers(), "containers left after a passing grade").toEqual([]);
  });

  test("a failing grade (the stub) also removes its containers", async () => {
    const run = await runCli(["grade", "rate-limiter"], { json: true, env: docker });
    expect(run.code).toBe(1);
    expect(run.json?.tests.every((t) => t.verdict === "not-implemented")).toBe(true);
    expect(katasContainers()).toEqual([]);
  });

  test("a learner's endless loop is stopped and its containers removed", async () => {
    const loop = path.join(import.meta.dirname, "fixtures/broken/endless-loop.ts");
    const run = await runCli(["grade", "rate-limiter", "--stage", "basics", "--impl", loop], { env: { ...docker, KATAS_RUN_TIMEOUT_MS: "4000" } });
    expect(run.code).toBe(1);
    expect(katasContainers()).toEqual([]);
  });

  test("Ctrl-C mid-grade removes every container, also with the Ryuk reaper disabled", async () => {
    let pid = 0;
    const running = runCli(["grade", "rate-limiter", "--impl", reference], { env: { ...docker, TESTCONTAINERS_RYUK_DISABLED: "true" }, onSpawn: (p) => (pid = p) });
    const deadline = Date.now() + 60_000;
    while (katasContainers().length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(katasContainers().length, "containers running mid-grade").toBeGreaterThanOrEqual(3);
    process.kill(pid, "SIGINT");
    const run = await running;
    expect(run.code).toBe(130);
    expect(katasContainers(), "containers left after Ctrl-C").toEqual([]);
  });

  test("auto picks docker when a runtime answers", async () => {
    const run = await runCli(["grade", "rate-limiter", "--stage", "basics", "--impl", reference], { json: true, env: { KATAS_SERVICES: "auto" } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/via docker/);
    expect(katasContainers()).toEqual([]);
  });

  test("an image that cannot be pulled is named with the variable that overrides it; auto falls back to local binaries", async () => {
    const missing = { KATAS_REDIS_IMAGE: "katas-selftest/no-such-image:0" };
    const strict = await runCli(["grade", "rate-limiter", "--stage", "basics", "--impl", reference], { env: { ...docker, ...missing } });
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/katas-selftest\/no-such-image:0/);
    expect(strict.stderr).toMatch(/KATAS_REDIS_IMAGE/);
    const auto = await runCli(["grade", "rate-limiter", "--stage", "basics", "--impl", reference], { env: { KATAS_SERVICES: "auto", ...missing } });
    expect(auto.code, auto.stderr).toBe(0);
    expect(auto.stderr).toMatch(/using local binaries instead/);
    expect(auto.stdout).toMatch(/via local/);
    expect(katasContainers()).toEqual([]);
  });
});

/**
 * A machine without a runtime, for real: a private mount namespace hides the Docker socket
 * (/run is a fresh tmpfs there). Needs root and unshare, as on CI.
 */
const canHideDocker = process.getuid?.() === 0 && spawnSync("unshare", ["--mount", "true"]).status === 0;
const withoutDocker = ["unshare", "--mount", "sh", "-c", 'mount -t tmpfs none /run && exec "$0" "$@"'];

test.skipIf(!canHideDocker)("no container runtime: --services docker says what to do, auto falls through to local with one line", async () => {
  const noRuntime = { DOCKER_HOST: "" };
  const strict = await runCli(["grade", "rate-limiter", "--stage", "basics"], { env: { ...noRuntime, ...docker }, wrap: withoutDocker });
  expect(strict.code).toBe(2);
  expect(strict.stderr).toMatch(/No container runtime answered/);
  expect(strict.stderr).toMatch(/--services local/);
  expect(strict.stderr).not.toMatch(/Could not find a working container runtime strategy\s*$/m);
  const auto = await runCli(["grade", "rate-limiter", "--stage", "basics", "--impl", reference], { env: { ...noRuntime, KATAS_SERVICES: "auto" }, wrap: withoutDocker });
  expect(auto.code, auto.stderr).toBe(0);
  expect(auto.stderr).toMatch(/no container runtime answered.*using local binaries/);
});

test("npm run doctor reports the runtime, the binaries and what auto would pick", async () => {
  const run = await runCli(["doctor"]);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/Node\.js\s+20\./);
  expect(run.stdout).toMatch(/redis-server\s+\S+ \(7\./);
  expect(run.stdout).toMatch(/--services auto would use (docker|local)/);
  if (!canHideDocker) return;
  const noRuntime = await runCli(["doctor"], { env: { DOCKER_HOST: "" }, wrap: withoutDocker });
  expect(noRuntime.stdout).toMatch(/✗ Container runtime/);
  expect(noRuntime.stdout).toMatch(/fix Start Docker/);
  expect(noRuntime.stdout).toMatch(/auto would use local/);
});

describe.skipIf(!runtime.ok)("docker provider, Postgres", () => {
  test("starts Postgres in a container, gives each file its own database, survives stop/start, and removes the container", async () => {
    const { DockerProvider } = await import("../services/docker/docker-provider.ts");
    const { Teardown } = await import("../services/teardown.ts");
    const { environmentOptions } = await import("../options.ts");
    const pg = (await import("pg")).default;
    const teardown = new Teardown();
    const provider = new DockerProvider(teardown, environmentOptions(process.env).images);
    try {
      await provider.start(["postgres"]);
      const a = await provider.allocate("postgres", { exclusive: false });
      const b = await provider.allocate("postgres", { exclusive: false });
      if (a.kind !== "postgres" || b.kind !== "postgres") throw new Error("expected postgres targets");
      expect(a.database).not.toBe(b.database);
      const pool = new pg.Pool({ host: a.host, port: a.port, user: a.user, password: a.password, database: a.database });
      pool.on("error", () => {});
      await pool.query("CREATE TABLE t (id int)");
      await pool.query("INSERT INTO t VALUES (1)");
      await pool.end();
      const control = provider.control(a.serverId)!;
      await control.stop();
      const probe = new pg.Client({ host: a.host, port: a.port, user: a.user, password: a.password, database: a.database });
      probe.on("error", () => {});
      await expect(probe.connect(), "connecting while the container is stopped").rejects.toThrow();
      await control.start();
      const again = new pg.Pool({ host: a.host, port: a.port, user: a.user, password: a.password, database: a.database });
      again.on("error", () => {});
      expect((await again.query("SELECT count(*)::int AS n FROM t")).rows[0].n, "data survives a stop and start").toBe(1);
      await again.end();
    } finally {
      await teardown.run();
    }
    expect(katasContainers()).toEqual([]);
  });
});

const hasCompose = spawnSync("docker", ["compose", "version"]).status === 0 || spawnSync("docker-compose", ["version"]).status === 0;

describe.skipIf(!runtime.ok || !hasCompose)("npm run services:up / services:down", () => {
  test("long-lived services come up, grade with --services url, and go away", async () => {
    try {
      const up = await runCli(["services", "up"]);
      expect(up.code, up.stderr).toBe(0);
      const env = { REDIS_URL: "redis://127.0.0.1:6380/0", DATABASE_URL: "postgres://katas:katas@127.0.0.1:5433/katas" };
      const { eventually } = await import("../testing/concurrency.ts");
      const run = await eventually(
        async () => {
          const attempt = await runCli(["grade", "rate-limiter", "--services", "url", "--stage", "basics", "--impl", reference], { env });
          expect(attempt.code, attempt.stderr).toBe(0);
          return attempt;
        },
        { timeoutMs: 20_000, intervalMs: 500 },
      );
      expect(run.stdout).toMatch(/via url/);
    } finally {
      const down = await runCli(["services", "down"]);
      expect(down.code).toBe(0);
    }
    expect(execFileSync("docker", ["ps", "-a", "-q", "--filter", "name=backend-katas_"], { encoding: "utf8" }).trim()).toBe("");
  });
});
