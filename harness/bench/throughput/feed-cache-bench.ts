import type { Redis } from "ioredis";
import { callsPerSecond } from "../../testing/concurrency.ts";
import type { ThroughputBench } from "./throughput-bench.ts";

const total = 10_000;
const concurrency = 32;
const pageSize = 20;

type Merged = Redis & { katasBenchMerge(a: string, b: string, c: string, want: number): Promise<string[]> };

/** The newest ARGV[1] members of the three sorted sets, merged: the least any merged page must do in Redis. */
const mergeNewest = `
local want = tonumber(ARGV[1])
local lists, heads = {}, {}
for i = 1, #KEYS do lists[i] = redis.call('ZREVRANGE', KEYS[i], 0, want - 1, 'WITHSCORES'); heads[i] = 1 end
local out = {}
while #out < want do
  local best = nil
  for i = 1, #lists do
    local score = lists[i][heads[i] + 1]
    if score and (best == nil or tonumber(score) > tonumber(lists[best][heads[best] + 1])) then best = i end
  end
  if best == nil then break end
  out[#out + 1] = lists[best][heads[best]]
  heads[best] = heads[best] + 2
end
return out
`;

/**
 * Cached first pages of the reference against the cheapest page doing the same work through
 * the same client: the spec merges celebrities' posts on read, so one script merges the
 * newest 21 ids of the reader's timeline and two celebrity lists, then one MGET fetches
 * the 20 bodies (the reference's two round trips, with no floor, cursor, versions or
 * coalescing).
 */
export const feedCacheBench: ThroughputBench = {
  challenge: "feed-cache",
  services: ["postgres", "redis"],
  unit: "pages/s",
  referenceName: `getHomeFeed, cached (limit ${pageSize}, 5 authors + 2 celebrities)`,
  limitName: `one EVALSHA merging 3 sorted sets + MGET of ${pageSize} bodies`,
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
    const client = redis as Merged;
    if (typeof client.katasBenchMerge !== "function") client.defineCommand("katasBenchMerge", { numberOfKeys: 3, lua: mergeNewest });
    // The reference's reader follows 5 authors (pushed into one timeline) and 2 celebrities (merged on read).
    const lists = ["bench:timeline", "bench:celebrity:s0", "bench:celebrity:s1"];
    const ids = Array.from({ length: 100 }, (_, i) => String(i).padStart(19, "0"));
    for (const [i, list] of lists.entries()) {
      const mine = ids.filter((_, j) => (j % 7 < 5 ? 0 : (j % 7) - 4) === i);
      await client.zadd(list, ...mine.flatMap((id) => [1_900_000_000_000 + Number(id), id]));
    }
    await client.mset(...ids.flatMap((id) => [`bench:post:${id}`, JSON.stringify({ id, authorId: "p0", body: `post ${id} of the benchmark`, createdAt: new Date().toISOString() })]));
    const read = async () => {
      const window = await client.katasBenchMerge(lists[0]!, lists[1]!, lists[2]!, pageSize + 1);
      const bodies = await client.mget(window.slice(0, pageSize).map((id) => `bench:post:${id}`));
      if (bodies.map((body) => JSON.parse(body!)).length !== pageSize) throw new Error("short page");
    };
    await callsPerSecond(500, concurrency, read);
    return callsPerSecond(total, concurrency, read);
  },
};
