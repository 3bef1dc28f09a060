import type { Redis } from "ioredis";
import { callsPerSecond } from "../../testing/concurrency.ts";
import type { ThroughputBench } from "./throughput-bench.ts";

const total = 10_000;
const concurrency = 32;
const pageSize = 20;

type Merged = Redis & { katasBenchMerge(timeline: string, celebrities: string, prefix: string, want: number): Promise<string[] | null> };

/**
 * The newest ARGV[2] members of the reader's timeline (KEYS[1]) and of the lists of the
 * celebrities they follow (named in KEYS[2], comma separated, each under prefix ARGV[1]),
 * merged; nil if any of it is not cached. The least any merged page must do in Redis: it
 * has to learn whom the reader follows and to tell a miss from an empty list.
 */
const mergeNewest = `
local celebrities = redis.call('GET', KEYS[2])
if not celebrities then return false end
local want = tonumber(ARGV[2])
local sources = { KEYS[1] }
for id in string.gmatch(celebrities, '[^,]+') do sources[#sources + 1] = ARGV[1] .. id end
local lists, heads = {}, {}
for i, key in ipairs(sources) do
  lists[i] = redis.call('ZREVRANGE', key, 0, want - 1, 'WITHSCORES'); heads[i] = 1
  if #lists[i] == 0 and redis.call('EXISTS', key) == 0 then return false end
end
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
 * the same client: the spec merges celebrities' posts on read, so one script reads whom
 * the reader follows among celebrities and merges the newest 21 ids of the reader's
 * timeline and those two celebrity lists, then one MGET fetches the 20 bodies (the
 * reference's two round trips, with no floor, cursor, versions or coalescing).
 */
export const feedCacheBench: ThroughputBench = {
  challenge: "feed-cache",
  services: ["postgres", "redis"],
  unit: "pages/s",
  referenceName: `getHomeFeed, cached (limit ${pageSize}, 5 authors + 2 celebrities)`,
  limitName: `one EVALSHA (whom the reader follows + a merge of 3 sorted sets) + MGET of ${pageSize} bodies`,
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
    if (typeof client.katasBenchMerge !== "function") client.defineCommand("katasBenchMerge", { numberOfKeys: 2, lua: mergeNewest });
    // The reference's reader follows 5 authors (pushed into one timeline) and 2 celebrities (merged on read).
    const lists = ["bench:timeline", "bench:celebrity:s0", "bench:celebrity:s1"];
    const ids = Array.from({ length: 100 }, (_, i) => String(i).padStart(19, "0"));
    for (const [i, list] of lists.entries()) {
      const mine = ids.filter((_, j) => (j % 7 < 5 ? 0 : (j % 7) - 4) === i);
      await client.zadd(list, ...mine.flatMap((id) => [1_900_000_000_000 + Number(id), id]));
    }
    await client.set("bench:celebrities-of:reader", "s0,s1");
    await client.mset(...ids.flatMap((id) => [`bench:post:${id}`, JSON.stringify({ id, authorId: "p0", body: `post ${id} of the benchmark`, createdAt: new Date().toISOString() })]));
    const read = async () => {
      const window = await client.katasBenchMerge(lists[0]!, "bench:celebrities-of:reader", "bench:celebrity:", pageSize + 1);
      if (window === null) throw new Error("the benchmark's lists are not cached");
      const bodies = await client.mget(window.slice(0, pageSize).map((id) => `bench:post:${id}`));
      if (bodies.map((body) => JSON.parse(body!)).length !== pageSize) throw new Error("short page");
    };
    await callsPerSecond(500, concurrency, read);
    return callsPerSecond(total, concurrency, read);
  },
};
