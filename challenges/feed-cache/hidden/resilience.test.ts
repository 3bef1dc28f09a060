import { expect } from "vitest";
import { eventually, graded, untilDisconnected, withoutUnhandledRejections, type GradedContext } from "../../../harness/testing/index.ts";
import type { Post } from "../src/index.ts";
import { expectFeed, readAll, startFeed, TestClock, World, type Instance } from "./feed.ts";

/** Every page of a feed, each read bounded: a read that waits for Redis to come back fails instead of hanging. */
async function readAllWithin(instance: Instance, user: string, limit: number, ms: number): Promise<Post[]> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`reading ${user}'s feed (limit ${limit}) with Redis stopped took over ${ms} ms: don't wait for Redis, answer from Postgres`)), ms);
  });
  try {
    return (await Promise.race([readAll(instance, user, limit), deadline])).items;
  } finally {
    clearTimeout(timer);
  }
}

/** Two readers (one with a cached feed) of a plain author and a celebrity. */
async function buildWorld(t: GradedContext) {
  const clock = new TestClock();
  const instance = await startFeed(t, { clock, celebrityThreshold: 3, timelineMaxLen: 10 });
  const world = new World(instance, clock);
  await world.users("warm", "cold", "plain", "star", "f1", "f2");
  for (const follower of ["warm", "cold", "f1", "f2"]) await world.follow(follower, "star");
  for (const follower of ["warm", "cold"]) await world.follow(follower, "plain");
  for (let i = 0; i < 16; i++) {
    clock.tick(3);
    await world.post(i % 3 ? "plain" : "star", `post ${i}`);
  }
  await readAll(instance, "warm", 4);
  return { instance, world };
}

graded(
  "resilience.serves-without-redis",
  {
    points: 4,
    timeoutMs: 12_000,
    hint: "Catch every Redis error on the read path and answer the page from Postgres. Don't wait for a reconnection: the injected client rejects at once while Redis is down.",
  },
  async (t) => {
    const { instance, world } = await buildWorld(t);
    await t.faults("redis").stop();
    await untilDisconnected(instance.redis);
    await withoutUnhandledRejections(async () => {
      for (const user of ["warm", "cold"]) {
        expectFeed(await readAllWithin(instance, user, 4, 4000), world.expected(user), `${user}'s whole feed (limit 4) with Redis stopped${user === "warm" ? " (it was cached before)" : " (never read before)"}`);
      }
    });
  },
);

graded(
  "resilience.recovers",
  {
    points: 3,
    timeoutMs: 15_000,
    hint: "Never remember that Redis failed: try it again on every read. A restarted Redis is empty (no keys, no scripts), so treat it as a miss and rebuild.",
  },
  async (t) => {
    const { instance, world } = await buildWorld(t);
    const faults = t.faults("redis");
    await faults.stop();
    await untilDisconnected(instance.redis);
    // Whatever these answer is graded elsewhere; they let an implementation notice the outage.
    for (let i = 0; i < 3; i++) await instance.feed.getHomeFeed("warm", { limit: 4 }).catch(() => undefined);
    await faults.start();
    await eventually(
      async () => {
        expectFeed((await instance.feed.getHomeFeed("warm", { limit: 4 })).items, world.expected("warm").slice(0, 4), "warm's first page after Redis restarted");
        instance.pool.traffic.reset();
        expectFeed((await instance.feed.getHomeFeed("warm", { limit: 4 })).items, world.expected("warm").slice(0, 4), "warm's first page again after Redis restarted");
        expect(instance.pool.traffic.queries, "SQL queries for a first page that should be cached again, once Redis is back").toBe(0);
      },
      { timeoutMs: 8000, intervalMs: 100 },
    );
  },
);
