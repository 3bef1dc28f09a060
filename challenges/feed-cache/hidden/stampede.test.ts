import { expect } from "vitest";
import { graded, runConcurrently } from "../../../harness/testing/index.ts";
import type { FeedPage } from "../src/index.ts";
import { expireKeysHolding } from "./expire-bodies.ts";
import { describePost, expectFeed, startFeed, TestClock, World } from "./feed.ts";
import { watchResults } from "./pool-hooks.ts";

graded(
  "stampede.feed-rebuild",
  {
    points: 4,
    timeoutMs: 10_000,
    hint: "Coalesce rebuilds in the process: a Map from user id to the promise of the rebuild in flight; every reader that misses awaits the same promise. Load the page's bodies with it (or in one more query).",
  },
  async (t) => {
    const clock = new TestClock();
    const instance = await startFeed(t, { clock, celebrityThreshold: 3, timelineMaxLen: 20 });
    const world = new World(instance, clock);
    await world.users("reader", "a", "b", "c", "star", "f1", "f2");
    for (const follower of ["reader", "f1", "f2"]) await world.follow(follower, "star");
    for (const author of ["a", "b", "c"]) await world.follow("reader", author);
    for (let i = 0; i < 30; i++) {
      clock.tick(2);
      await world.post(["a", "b", "c", "star"][i % 4]!, `post ${i}`);
    }
    await instance.feed.getHomeFeed("reader", { limit: 10 });
    await (await t.redis()).flushdb();
    instance.pool.traffic.reset();
    const results = await runConcurrently(50, () => instance.feed.getHomeFeed("reader", { limit: 10 }));
    const failed = results.filter((result) => result.status === "rejected").map((result) => String((result as PromiseRejectedResult).reason));
    expect(failed, "reads that failed among 50 concurrent getHomeFeed(\"reader\", { limit: 10 }) after the cache was flushed").toEqual([]);
    for (const result of results) expectFeed((result as PromiseFulfilledResult<FeedPage>).value.items, world.expected("reader").slice(0, 10), "each of the 50 concurrent first pages");
    const statements = instance.pool.traffic.statements.map((s) => s.replace(/\s+/g, " ").trim().slice(0, 70));
    expect(instance.pool.traffic.queries, `SQL queries for 50 concurrent reads of one flushed feed: one rebuild, plus at most one query for its bodies (statements: ${statements.slice(0, 6).join(" | ")}${statements.length > 6 ? " | …" : ""})`).toBeLessThanOrEqual(2);
  },
);

graded(
  "stampede.post-body",
  {
    points: 4,
    timeoutMs: 10_000,
    hint: "When a cached body is missing, many readers miss it at once. Keep a Map from post id to the load in flight and share it, across readers and users.",
  },
  async (t) => {
    const clock = new TestClock();
    const pool = t.postgres();
    const marker = `viral-${Math.random().toString(36).slice(2)}`;
    const watched = watchResults(pool, marker);
    const instance = await startFeed(t, { clock, pool });
    const world = new World(instance, clock);
    const readers = Array.from({ length: 10 }, (_, i) => `r${i}`);
    await world.users("author", "other", ...readers);
    for (const reader of readers) {
      await world.follow(reader, "author");
      await world.follow(reader, "other");
    }
    for (let i = 0; i < 4; i++) {
      clock.tick(2);
      await world.post("other", `other ${i}`);
    }
    clock.tick(2);
    const viral = await world.post("author", `${marker}: everyone reads this`);
    for (const reader of readers) await instance.feed.getHomeFeed(reader, { limit: 5 }); // timelines and bodies cached
    const expired = (await expireKeysHolding(await t.redis(), [marker])).keys;
    expect(expired, `Redis keys holding the body of ${describePost(viral)} (a string value or a hash field): the suite expires a post by deleting them, so its body must be cached once per post`).toBeGreaterThan(0);
    watched.results = 0;
    const results = await runConcurrently(100, (i) => instance.feed.getHomeFeed(readers[i % 10]!, { limit: 5 }));
    const failed = results.filter((result) => result.status === "rejected").map((result) => String((result as PromiseRejectedResult).reason));
    expect(failed, "reads that failed among 100 concurrent reads (10 users × 10) of feeds topped by the expired post").toEqual([]);
    results.forEach((result, i) => {
      const reader = readers[i % 10]!;
      expectFeed((result as PromiseFulfilledResult<FeedPage>).value.items, world.expected(reader).slice(0, 5), `${reader}'s first page (one of 100 concurrent reads)`);
    });
    expect(watched.results, `Postgres results that carried the body of ${describePost(viral)} during 100 concurrent reads after its cached copy expired`).toBeLessThanOrEqual(1);
  },
);
