import { execFileSync } from "node:child_process";
import pg from "pg";
import { expect, test } from "vitest";
import { probeContainerRuntime } from "../services/docker/container-runtime.ts";
import { pauseReplay, replicationPositions, resumeReplay, waitForReplay } from "../services/replication-admin.ts";
import { Teardown } from "../services/teardown.ts";
import type { PostgresTarget, ReplicatedPostgresTarget } from "../services/types.ts";

const runtime = await probeContainerRuntime();
if (!runtime.ok && process.env.KATAS_REQUIRE_DOCKER === "1") throw new Error(`KATAS_REQUIRE_DOCKER=1 but no container runtime answered: ${runtime.reason}`);

const pool = (target: PostgresTarget) => {
  const created = new pg.Pool({ ...target, connectionTimeoutMillis: 5000 });
  created.on("error", () => {});
  return created;
};

/** Containers of this process (the provider labels each with its owner's pid). */
const ours = () =>
  execFileSync("docker", ["ps", "-a", "--filter", `label=dev.backend-katas.owner-pid=${process.pid}`, "--format", "{{.ID}}"], { encoding: "utf8" }).split("\n").filter(Boolean);

test.skipIf(!runtime.ok)("the docker provider starts a primary container and a replica container that streams from it, and removes both", async () => {
  const { DockerProvider } = await import("../services/docker/docker-provider.ts");
  const { environmentOptions } = await import("../options.ts");
  const teardown = new Teardown();
  const provider = new DockerProvider(teardown, environmentOptions(process.env).images);
  try {
    await provider.start(["replicated-postgres"]);
    const own = (await provider.allocate("replicated-postgres", { exclusive: true })) as ReplicatedPostgresTarget;
    expect(ours()).toHaveLength(2);
    expect(provider.versions()["replicated-postgres"]).toMatch(/^\d+/);
    const primary = pool(own.primary);
    await primary.query("CREATE TABLE t (v text)");
    await primary.query("INSERT INTO t VALUES ('one')");
    await waitForReplay(own.primary, own.replica);
    const replica = pool(own.replica);
    expect((await replica.query("SELECT v, pg_is_in_recovery() AS standby FROM t")).rows).toEqual([{ v: "one", standby: true }]);
    await pauseReplay(own.replica);
    await primary.query("UPDATE t SET v = 'two'");
    const positions = await replicationPositions(own.primary, own.replica);
    expect(positions.replica).not.toBe(positions.primary);
    expect((await replica.query("SELECT v FROM t")).rows[0].v, "replay paused").toBe("one");
    await resumeReplay(own.replica);
    await replica.end();
    const control = provider.control(own.replica.serverId)!;
    await control.stop();
    await primary.query("UPDATE t SET v = 'three'");
    await control.start();
    await waitForReplay(own.primary, own.replica);
    const again = pool(own.replica);
    expect((await again.query("SELECT v FROM t")).rows[0].v, "caught up after a restart").toBe("three");
    await again.end();
    await primary.end();
  } finally {
    await teardown.run();
  }
  expect(ours(), "containers after teardown").toEqual([]);
});
