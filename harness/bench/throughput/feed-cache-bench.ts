import type { Redis } from "ioredis";
import { callsPerSecond } from "../../testing/concurrency.ts";
import type { ThroughputBench } from "./throughput-bench.ts";

const total = 10_000;
const concurrency = 32;
const pageSize = 20;

type Ranged = Redis & { katasBenchRange(key: string, stop: number): Promise<string[]> };

/**
 * Cached first pages of the reference against the cheapest page of the same shape through
 * the same client: one script that returns a ready-made range of 21 ids, then one MGET of
 * the 20 bodies (the reference's two round trips, with no merge, cursor or coalescing).
 */
export const feedCacheBench: ThroughputBench = {
  challenge: "feed-cache",
  services: ["postgres", "redis"],
  unit: "pages/s",
  referenceName: `getHomeFeed, cached (limit ${pageSize}, 5 authors + 2 celebrities)`,
  limitName: `one-range EVALSHA + MGET of ${pageSize} bodies`,
  concurrency,
  async reference({ pg, redis }) {
    const { createFeedService } = await import("../../../solutions/feed-cache/index.ts");
    let ms = Date.parse("2030-01-01T00:00:00.000Z");
    const feed = createFeedService({ pg: pg!, redis: redis!, celebrityThreshold: 3, timelineMaxLen: 100, pageMax: 50, now: () => new Date(ms) });
    await feed.migrate();
    const run = `bench${Date.now()}`; // runs share the database: users of their own
    const authors = ["p0", "p1", "p2", "p3", "p4", "s0", "s1"].map((name) => `${run}-${name}`);
    const reader = `${run}-reader`;
    for (const user of [reader, `${run}-f1`, `${run}-f2`, ...authors]) await feed.createUser(user);
    for (const author of authors) await feed.follow(reader, author);
    for (const star of authors.slice(5)) for (const fan of [`${run}-f1`, `${run}-f2`]) await feed.follow(fan, star);
    for (let i = 0; i < 100; i++) {
      ms++;
      await feed.createPost(authors[i % authors.length]!, `post ${i} of the benchmark`);
    }
    const read = async () => {
      const page = await feed.getHomeFeed(reader, { limit: pageSize });
      if (page.items.length !== pageSize) throw new Error(`getHomeFeed answered ${page.items.length} items`);
    };
    await callsPerSecond(500, concurrency, read);
    return callsPerSecond(total, concurrency, read);
  },
  async limit({ redis }) {
    const client = redis as Ranged;
    if (typeof client.katasBenchRange !== "function") {
      client.defineCommand("katasBenchRange", { numberOfKeys: 1, lua: "return redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]))" });
    }
    const ids = Array.from({ length: 100 }, (_, i) => String(i).padStart(19, "0"));
    await client.zadd("bench:timeline", ...ids.flatMap((id) => [1_900_000_000_000 + Number(id), id]));
    await client.mset(...ids.flatMap((id) => [`bench:post:${id}`, JSON.stringify({ id, authorId: "p0", body: `post ${id} of the benchmark`, createdAt: new Date().toISOString() })]));
    const read = async () => {
      const window = await client.katasBenchRange("bench:timeline", pageSize);
      const bodies = await client.mget(window.slice(0, pageSize).map((id) => `bench:post:${id}`));
      if (bodies.map((body) => JSON.parse(body!)).length !== pageSize) throw new Error("short page");
    };
    await callsPerSecond(500, concurrency, read);
    return callsPerSecond(total, concurrency, read);
  },
};
