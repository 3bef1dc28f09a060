import pg from "pg";
import { describe, expect, test } from "vitest";
import { probeContainerRuntime } from "../services/docker/container-runtime.ts";
import { LocalProvider } from "../services/local/local-provider.ts";
import { redisRawCommand } from "../services/redis-ping.ts";
import { Teardown } from "../services/teardown.ts";
import type { PostgresTarget, RedisTarget, ServiceProvider } from "../services/types.ts";

/**
 * Fault injection's pause: a hung server, not a dead one. Connections are accepted and
 * requests sent, nothing answers until resume; a paused server still stops promptly.
 */
async function provesPause(provider: ServiceProvider, teardown: Teardown): Promise<void> {
  try {
    await provider.start(["redis", "postgres"]);
    const redis = (await provider.allocate("redis", { exclusive: true })) as RedisTarget;
    const postgres = (await provider.allocate("postgres", { exclusive: true })) as PostgresTarget;
    const redisControl = provider.control(redis.serverId)!;
    const postgresControl = provider.control(postgres.serverId)!;
    const client = new pg.Client({ host: postgres.host, port: postgres.port, user: postgres.user, password: postgres.password, database: postgres.database });
    client.on("error", () => {});
    await client.connect();

    await redisControl.pause();
    await expect(redisRawCommand(redis.host, redis.port, ["PING"], 300), "PING to a paused Redis: connected, no answer").rejects.toThrow("timed out");
    await redisControl.resume();
    expect(await redisRawCommand(redis.host, redis.port, ["PING"], 2000)).toMatch(/^\+PONG/);

    await postgresControl.pause();
    const hung = client.query("SELECT 1 AS one");
    const outcome = await Promise.race([hung.then(() => "answered"), new Promise((resolve) => setTimeout(() => resolve("no answer"), 300))]);
    expect(outcome, "a query on an open connection to a paused Postgres").toBe("no answer");
    await postgresControl.resume();
    expect((await hung).rows[0].one, "the held query completes after resume").toBe(1);
    await client.end();

    await redisControl.pause();
    const started = performance.now();
    await redisControl.stop();
    expect(performance.now() - started, "stopping a paused Redis (no wait for the SIGKILL fallback)").toBeLessThan(2500);
  } finally {
    await teardown.run();
  }
}

test("the local provider pauses and resumes Redis and Postgres", async () => {
  const teardown = new Teardown();
  await provesPause(new LocalProvider(teardown), teardown);
});

const runtime = await probeContainerRuntime();

describe.skipIf(!runtime.ok)("docker provider", () => {
  test("pauses and resumes Redis and Postgres containers", async () => {
    const { DockerProvider } = await import("../services/docker/docker-provider.ts");
    const { environmentOptions } = await import("../options.ts");
    const teardown = new Teardown();
    await provesPause(new DockerProvider(teardown, environmentOptions(process.env).images), teardown);
  });
});
