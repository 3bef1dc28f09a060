import { AssertionError } from "node:assert";
import { expect } from "vitest";
import { eventually, graded, InconclusiveTiming, sleepUntil, untilDisconnected, watchStalls, withoutUnhandledRejections, withTimingRetries, type GradedContext } from "../../../harness/testing/index.ts";
import type { FeedPage, Post } from "../src/index.ts";
import { expectFeed, readAll, startFeed, TestClock, World, type Instance } from "./feed.ts";

/** With Redis hung, each page must come back (from Postgres) within this long: a timeout of about 400 ms, not 800. */
const hungPageMs = 700;
/** A stall of the test's own process longer than this eats the margin between a 400 ms timeout and `hungPageMs`. */
const maxStallMs = 100;
/** A stall Redis recovers from, answering afterwards: a timeout of 200 ms gives up on it, one of 400 ms does not. */
const stallMs = 250;
/** Redis must be answering again this soon after the reads started, or the stall was longer than the test claims. */
const stallAnsweredByMs = 330;

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

/** `call`, failed with a message if it has not resolved within `ms` of now. */
async function within<T>(call: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AssertionError({ message: `${what} took over ${ms} ms with Redis hung: give up on a Redis call that does not answer (after about 400 ms) and answer from Postgres` })), ms);
  });
  try {
    return await Promise.race([call, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

graded(
  "resilience.serves-while-redis-hangs",
  {
    points: 4,
    timeoutMs: 12_000,
    hint: "A hung Redis accepts every command and never answers, and ioredis waits for the reply forever: give each Redis call a deadline (about 400 ms; Promise.race with a timer) and answer from Postgres when it passes.",
  },
  async (t) => {
    const { instance, world } = await buildWorld(t);
    const cursor = (await instance.feed.getHomeFeed("warm", { limit: 4 })).nextCursor;
    expect(typeof cursor, "nextCursor of warm's first page (limit 4)").toBe("string");
    const faults = t.faults("redis");
    await withTimingRetries(async (attempt) => {
      // A retry needs a reader whose feed was never read, as "cold" was on the first attempt.
      const cold = attempt === 1 ? "cold" : `cold-${attempt}`;
      if (attempt > 1) {
        await world.users(cold);
        for (const followee of ["star", "plain"]) await world.follow(cold, followee);
      }
      const reads = [
        { what: "warm's first page (limit 4, cached before)", user: "warm", options: { limit: 4 }, expected: world.expected("warm").slice(0, 4) },
        { what: "warm's second page (limit 4, cached before)", user: "warm", options: { limit: 4, cursor: cursor! }, expected: world.expected("warm").slice(4, 8) },
        { what: `${cold}'s first page (limit 4, never read before)`, user: cold, options: { limit: 4 }, expected: world.expected(cold).slice(0, 4) },
      ];
      // Open the service's Postgres connections before Redis hangs: the 700 ms are for the Redis
      // timeout and the query, not for connection handshakes (slow to a server in a container).
      await Promise.all(reads.map(() => instance.pool.query("SELECT 1")));
      await faults.pause();
      try {
        await withoutUnhandledRejections(async () => {
          // The implementation shares this process: a page late while the process itself was starved of CPU proves nothing.
          const stalls = watchStalls(maxStallMs);
          const pages = await Promise.allSettled(reads.map((read) => within<FeedPage>(instance.feed.getHomeFeed(read.user, read.options), hungPageMs, read.what)));
          stalls.judge("the reads with Redis hung", () => {
            for (const page of pages) if (page.status === "rejected") throw page.reason;
          });
          for (const [i, read] of reads.entries()) expectFeed((pages[i] as PromiseFulfilledResult<FeedPage>).value.items, read.expected, `${read.what} with Redis hung`);
          await faults.resume(); // the abandoned calls get their answers now, late: nothing may leak
        }, "while Redis was hung and when it answered late");
      } finally {
        await faults.resume();
      }
    });
  },
);

graded(
  "resilience.waits-for-a-slow-redis",
  {
    points: 3,
    timeoutMs: 12_000,
    hint: "Don't give up on Redis too early: a healthy Redis under load can take a few hundred milliseconds. A timeout of about 400 ms tells a hung server from a slow one; 200 ms sends every slow moment to Postgres.",
  },
  async (t) => {
    const { instance, world } = await buildWorld(t);
    const cursor = (await instance.feed.getHomeFeed("warm", { limit: 4 })).nextCursor!;
    const faults = t.faults("redis");
    // The test's own connection tells when Redis really answers again (the resume call itself may return later).
    const probe = await t.redis();
    await withTimingRetries(async () => {
      instance.pool.traffic.reset();
      await faults.pause();
      const started = performance.now();
      let answeredAt = Number.POSITIVE_INFINITY;
      const probed = probe.ping().then(() => (answeredAt = performance.now()));
      const reads = [instance.feed.getHomeFeed("warm", { limit: 4 }), instance.feed.getHomeFeed("warm", { limit: 4, cursor })];
      for (const read of reads) read.catch(() => {});
      await sleepUntil(started + stallMs);
      await faults.resume();
      await probed;
      const [first, second] = await Promise.all(reads);
      const answered = answeredAt - started;
      if (answered > stallAnsweredByMs) {
        throw new InconclusiveTiming(`The machine stalled: Redis answered again ${Math.round(answered)} ms after the reads began, not about ${stallMs} ms. Grade again on a quieter machine.`);
      }
      expectFeed(first!.items, world.expected("warm").slice(0, 4), `warm's first page (limit 4), read while Redis stalled for ${stallMs} ms`);
      expectFeed(second!.items, world.expected("warm").slice(4, 8), `warm's second page (limit 4), read while Redis stalled for ${stallMs} ms`);
      const statements = instance.pool.traffic.statements.map((s) => s.replace(/\s+/g, " ").trim().slice(0, 60));
      expect(
        instance.pool.traffic.queries,
        `SQL queries for two cached pages read while Redis stalled for ${stallMs} ms, then answered: a timeout that short gives up on a Redis that is only slow (statements: ${statements.join(" | ")})`,
      ).toBe(0);
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
