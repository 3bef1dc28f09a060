/**
 * A correct design unlike the reference, to prove the suite grades the contract:
 * - pure fan-out on read: no per-user timelines, only one recent-posts list per author
 *   (their newest timelineMaxLen posts), merged at read time by one Lua script; every
 *   author is treated as a celebrity, so celebrityThreshold is not needed;
 * - UUID post ids, and cursors that are hex-encoded JSON with an ISO timestamp;
 * - bodies in hashes with a version field, fetched with one pipeline of HGETALL;
 * - tables named feed_*;
 * - a Redis timeout of its own choosing (450 ms; the reference's is 400 ms), as one
 *   helper around each call.
 */
import type { Pool } from "pg";
import type { Redis } from "ioredis";
import type { FeedOptions, FeedPage, FeedService, Post } from "../../../challenges/feed-cache/src/index.ts";

const ttlSeconds = 6 * 3600;
/** A Redis call unanswered for this long has failed (a hung server never answers). */
const redisTimeoutMs = 450;

/**
 * KEYS[1] the user's followee ids (JSON); ARGV author prefix, cursor score ('' for none),
 * cursor id, want. Each author list holds a marker '' scored at its floor: below or at it
 * the list may be missing posts (-1: complete). Returns { floor, id, id, ... } or nil.
 */
const mergeScript = `
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local authors = cjson.decode(raw)
local want = tonumber(ARGV[4])
local from = ARGV[2] == '' and '+inf' or ARGV[2]
local cs = tonumber(ARGV[2])
local items = {}
local floor = -1
for _, author in ipairs(authors) do
  local key = ARGV[1] .. author
  local own = tonumber(redis.call('ZSCORE', key, ''))
  if own == nil then return false end
  if own > floor then floor = own end
  local offset, got, stop = 0, 0, false
  repeat
    local chunk = redis.call('ZREVRANGEBYSCORE', key, from, '-inf', 'WITHSCORES', 'LIMIT', offset, want)
    for i = 1, #chunk, 2 do
      local id, score = chunk[i], tonumber(chunk[i + 1])
      if score <= own then stop = true break end
      if (cs == nil or score < cs or id < ARGV[3]) then
        items[#items + 1] = { score, id }
        got = got + 1
        if got >= want then stop = true break end
      end
    end
    offset = offset + want
  until stop or #chunk < want * 2
end
table.sort(items, function(a, b) if a[1] ~= b[1] then return a[1] > b[1] end return a[2] > b[2] end)
local out = { tostring(floor) }
for i = 1, math.min(want, #items) do
  if items[i][1] <= floor then break end
  out[#out + 1] = items[i][2]
end
return out
`;

/** Creates an author's list unless it exists: KEYS[1]; ARGV ttl, floor, then score/id pairs. */
const fillScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], '')
for i = 3, #ARGV, 2 do redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
`;

/** Adds to an author's list only if it is cached, keeping its newest ARGV[3]: KEYS[1]; ARGV score, id, max. */
const addScript = `
local own = tonumber(redis.call('ZSCORE', KEYS[1], ''))
if own == nil or tonumber(ARGV[1]) <= own then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
local extra = redis.call('ZCARD', KEYS[1]) - 1 - tonumber(ARGV[3])
while extra > 0 do
  local oldest = redis.call('ZRANGE', KEYS[1], 1, 1, 'WITHSCORES')
  redis.call('ZREM', KEYS[1], oldest[1])
  redis.call('ZADD', KEYS[1], oldest[2], '')
  extra = extra - 1
end
return 1
`;

/** Writes a body hash unless the cached one is as new or a tombstone: KEYS[1]; ARGV version (-1 tombstone), ttl, then field/value pairs. */
const bodyScript = `
local current = redis.call('HGET', KEYS[1], 'v')
if current and (current == '-1' or (ARGV[1] ~= '-1' and tonumber(current) >= tonumber(ARGV[1]))) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', ARGV[1], unpack(ARGV, 3))
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
`;

type Scripted = Redis & {
  pullMerge(key: string, prefix: string, score: string, id: string, want: number): Promise<string[] | null>;
  pullFill(key: string, ttl: number, floor: number, ...pairs: (string | number)[]): Promise<number>;
  pullAdd(key: string, score: number, id: string, max: number): Promise<number>;
  pullBody(key: string, version: number, ttl: number, ...fields: string[]): Promise<number>;
};

type ScriptedPipeline = ReturnType<Redis["pipeline"]> & {
  pullFill(key: string, ttl: number, floor: number, ...pairs: (string | number)[]): ScriptedPipeline;
  pullAdd(key: string, score: number, id: string, max: number): ScriptedPipeline;
  pullBody(key: string, version: number, ttl: number, ...fields: string[]): ScriptedPipeline;
};

interface Row {
  id: string;
  author_id: string;
  body: string;
  created_at: Date;
  version: number;
  deleted?: boolean;
}

class OutOfCache extends Error {}
class RedisTimeout extends Error {}

/** The reply, or a RedisTimeout rejection once `redisTimeoutMs` have passed without one. */
async function answered<T>(reply: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([reply, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new RedisTimeout("Redis did not answer")), redisTimeoutMs)))]);
  } finally {
    clearTimeout(timer);
  }
}

function toPost(row: Row): Post {
  return { id: row.id, authorId: row.author_id, body: row.body, createdAt: row.created_at.toISOString() };
}

function encode(post: { createdAt: string; id: string }): string {
  return Buffer.from(JSON.stringify({ t: post.createdAt, i: post.id })).toString("hex");
}

function decode(cursor: unknown): { ms: number; id: string } {
  if (typeof cursor !== "string" || !/^([0-9a-f]{2})+$/.test(cursor)) throw new TypeError("malformed cursor");
  let parsed: { t?: unknown; i?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, "hex").toString("utf8"));
  } catch {
    throw new TypeError("malformed cursor");
  }
  const ms = typeof parsed?.t === "string" ? Date.parse(parsed.t) : Number.NaN;
  if (!Number.isFinite(ms) || typeof parsed.i !== "string" || !/^[0-9a-f-]{36}$/.test(parsed.i)) throw new TypeError("malformed cursor");
  return { ms, id: parsed.i };
}

class PullFeed implements FeedService {
  private readonly pg: Pool;
  private readonly redis: Scripted;
  private readonly pageMax: number;
  /** How many of each author's newest posts are cached. */
  private readonly depth: number;
  private readonly now: () => Date;
  private readonly rebuilding = new Map<string, Promise<void>>();
  private readonly loading = new Map<string, Promise<Post | null>>();
  /** Bodies loaded in the last moment, for readers whose HGETALL crossed the fill on the wire. */
  private readonly justLoaded = new Map<string, { at: number; post: Post | null }>();

  constructor(options: FeedOptions) {
    this.pg = options.pg;
    this.redis = options.redis as Scripted;
    this.pageMax = options.pageMax;
    this.depth = options.timelineMaxLen;
    this.now = options.now ?? (() => new Date());
    if (typeof this.redis.pullMerge !== "function") {
      options.redis.defineCommand("pullMerge", { numberOfKeys: 1, lua: mergeScript });
      options.redis.defineCommand("pullFill", { numberOfKeys: 1, lua: fillScript });
      options.redis.defineCommand("pullAdd", { numberOfKeys: 1, lua: addScript });
      options.redis.defineCommand("pullBody", { numberOfKeys: 1, lua: bodyScript });
    }
  }

  private async quietly(write: () => Promise<unknown>): Promise<void> {
    try {
      await answered(write());
    } catch {
      // Postgres has the truth; a restarted Redis is empty.
    }
  }

  async migrate(): Promise<void> {
    // One query string is one transaction: the xact lock is held until the tables are committed.
    // (A session lock unlocked at the end of the string would let the next instance in before the commit.)
    await this.pg.query(`
      SELECT pg_advisory_xact_lock(4711);
      CREATE TABLE IF NOT EXISTS feed_users (name text PRIMARY KEY);
      CREATE TABLE IF NOT EXISTS feed_follows (
        follower text NOT NULL REFERENCES feed_users, followee text NOT NULL REFERENCES feed_users,
        PRIMARY KEY (follower, followee));
      CREATE TABLE IF NOT EXISTS feed_posts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(), author_id text NOT NULL REFERENCES feed_users,
        body text NOT NULL, created_at timestamptz NOT NULL, version int NOT NULL DEFAULT 1, deleted boolean NOT NULL DEFAULT false);
      CREATE INDEX IF NOT EXISTS feed_posts_recent ON feed_posts (author_id, created_at, id) WHERE NOT deleted;`);
  }

  async createUser(id: string): Promise<void> {
    await this.pg.query("INSERT INTO feed_users VALUES ($1) ON CONFLICT DO NOTHING", [id]);
  }

  async follow(followerId: string, followeeId: string): Promise<void> {
    await this.pg.query("INSERT INTO feed_follows VALUES ($1, $2) ON CONFLICT DO NOTHING", [followerId, followeeId]);
    await this.quietly(() => this.redis.del(`pull:following:${followerId}`));
  }

  async unfollow(followerId: string, followeeId: string): Promise<void> {
    await this.pg.query("DELETE FROM feed_follows WHERE follower = $1 AND followee = $2", [followerId, followeeId]);
    await this.quietly(() => this.redis.del(`pull:following:${followerId}`));
  }

  private fields(post: Post): string[] {
    return ["author", post.authorId, "body", post.body, "at", post.createdAt];
  }

  async createPost(authorId: string, body: string): Promise<Post> {
    const { rows } = await this.pg.query<Row>("INSERT INTO feed_posts (author_id, body, created_at) VALUES ($1, $2, $3) RETURNING *", [authorId, body, this.now()]);
    const post = toPost(rows[0]!);
    await this.quietly(() =>
      (this.redis.pipeline() as ScriptedPipeline)
        .pullBody(`pull:post:${post.id}`, 1, ttlSeconds, ...this.fields(post))
        .pullAdd(`pull:author:${authorId}`, Date.parse(post.createdAt), post.id, this.depth)
        .exec(),
    );
    return post;
  }

  async editPost(authorId: string, postId: string, body: string): Promise<Post> {
    const { rows } = await this.pg.query<Row>("UPDATE feed_posts SET body = $3, version = version + 1 WHERE id::text = $1 AND author_id = $2 AND NOT deleted RETURNING *", [postId, authorId, body]);
    if (!rows[0]) throw new RangeError(`unknown post ${postId}`);
    const post = toPost(rows[0]);
    this.justLoaded.delete(post.id);
    await this.quietly(() => this.redis.pullBody(`pull:post:${post.id}`, rows[0]!.version, ttlSeconds, ...this.fields(post)));
    return post;
  }

  async deletePost(authorId: string, postId: string): Promise<void> {
    const { rows } = await this.pg.query<Row>("UPDATE feed_posts SET deleted = true WHERE id::text = $1 AND author_id = $2 AND NOT deleted RETURNING id", [postId, authorId]);
    if (!rows[0]) throw new RangeError(`unknown post ${postId}`);
    this.justLoaded.delete(postId);
    await this.quietly(() => (this.redis.pipeline() as ScriptedPipeline).pullBody(`pull:post:${postId}`, -1, ttlSeconds, "gone", "1").zrem(`pull:author:${authorId}`, postId).exec());
  }

  async getHomeFeed(userId: string, options: { limit: number; cursor?: string }): Promise<FeedPage> {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError("limit must be a positive integer");
    const limit = Math.min(options.limit, this.pageMax);
    const after = options.cursor === undefined ? undefined : decode(options.cursor);
    try {
      return await this.fromRedis(userId, limit, after);
    } catch (error) {
      if (error instanceof TypeError || error instanceof RangeError) throw error;
      return this.fromPostgres(userId, limit, after);
    }
  }

  private async merge(userId: string, limit: number, after?: { ms: number; id: string }): Promise<{ floor: number; ids: string[] } | null> {
    const reply = await answered(this.redis.pullMerge(`pull:following:${userId}`, "pull:author:", after ? String(after.ms) : "", after?.id ?? "", limit + 1));
    return reply ? { floor: Number(reply[0]), ids: reply.slice(1) } : null;
  }

  private async fromRedis(userId: string, limit: number, after?: { ms: number; id: string }): Promise<FeedPage> {
    let merged = await this.merge(userId, limit, after);
    for (let attempt = 0; !merged && attempt < 2; attempt++) {
      let flight = this.rebuilding.get(userId);
      if (!flight) {
        flight = this.rebuild(userId).finally(() => this.rebuilding.delete(userId));
        this.rebuilding.set(userId, flight);
      }
      await flight;
      merged = await this.merge(userId, limit, after);
    }
    if (!merged) throw new OutOfCache();
    const { floor, ids } = merged;
    if (ids.length <= limit && floor >= 0) throw new OutOfCache(); // deeper than the cached lists
    const posts = await this.bodies(ids.slice(0, limit));
    if (posts.some((post) => post === null)) throw new OutOfCache(); // deleted meanwhile: let Postgres answer
    const items = posts as Post[];
    return { items, nextCursor: ids.length > limit ? encode(items[items.length - 1]!) : null };
  }

  /** The user's followees and the newest posts of each, in one query. */
  private async rebuild(userId: string): Promise<void> {
    const { rows } = await this.pg.query<{ followee: string; id: string | null; created_at: Date | null }>(
      `SELECT f.followee, p.id, p.created_at FROM feed_follows f
       LEFT JOIN LATERAL (
         SELECT id, created_at FROM feed_posts WHERE author_id = f.followee AND NOT deleted
         ORDER BY created_at DESC, id DESC LIMIT $2) p ON true
       WHERE f.follower = $1`,
      [userId, this.depth + 1],
    );
    const lists = new Map<string, { score: number; id: string }[]>();
    for (const row of rows) {
      const list = lists.get(row.followee) ?? [];
      if (row.id && row.created_at) list.push({ score: row.created_at.getTime(), id: row.id });
      lists.set(row.followee, list);
    }
    const pipeline = this.redis.pipeline() as ScriptedPipeline;
    for (const [author, list] of lists) {
      // One more than we keep came back: the list is cut there, and its floor is the oldest kept post.
      const kept = list.slice(0, this.depth);
      const floor = list.length > this.depth ? kept[kept.length - 1]!.score : -1;
      pipeline.pullFill(`pull:author:${author}`, ttlSeconds, floor, ...kept.flatMap((entry) => [entry.score, entry.id]));
    }
    pipeline.set(`pull:following:${userId}`, JSON.stringify([...lists.keys()]), "EX", ttlSeconds);
    const replies = await answered(pipeline.exec());
    for (const [error] of replies ?? []) if (error) throw error;
  }

  private async bodies(ids: string[]): Promise<(Post | null)[]> {
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(`pull:post:${id}`);
    const replies = (await answered(pipeline.exec())) ?? [];
    return Promise.all(
      ids.map(async (id, i) => {
        const [error, hash] = replies[i] as [Error | null, Record<string, string>];
        if (error) throw error;
        if (hash && hash.v === "-1") return null;
        if (hash && hash.body !== undefined) return { id, authorId: hash.author!, body: hash.body, createdAt: hash.at! };
        return this.loadBody(id);
      }),
    );
  }

  /** One query per burst: concurrent misses within a tick share it. */
  private loadBody(id: string): Promise<Post | null> {
    const recent = this.justLoaded.get(id);
    if (recent && performance.now() - recent.at < 1000) return Promise.resolve(recent.post);
    let flight = this.loading.get(id);
    if (!flight) {
      flight = this.batchLoad(id);
      this.loading.set(id, flight);
    }
    return flight;
  }

  private pendingIds: string[] = [];
  private pendingBatch: Promise<Map<string, Post | null>> | null = null;

  private async batchLoad(id: string): Promise<Post | null> {
    this.pendingIds.push(id);
    if (!this.pendingBatch) {
      this.pendingBatch = new Promise((resolve) => setImmediate(resolve)).then(async () => {
        const batch = this.pendingIds;
        this.pendingIds = [];
        this.pendingBatch = null;
        const { rows } = await this.pg.query<Row>("SELECT * FROM feed_posts WHERE id = ANY($1::uuid[])", [batch]);
        const found = new Map<string, Post | null>(batch.map((one) => [one, null]));
        const pipeline = this.redis.pipeline() as ScriptedPipeline;
        for (const row of rows) {
          const post = row.deleted ? null : toPost(row);
          found.set(row.id, post);
          if (post) pipeline.pullBody(`pull:post:${row.id}`, row.version, ttlSeconds, ...this.fields(post));
          else pipeline.pullBody(`pull:post:${row.id}`, -1, ttlSeconds, "gone", "1");
        }
        await this.quietly(() => pipeline.exec());
        for (const [one, post] of found) {
          this.justLoaded.set(one, { at: performance.now(), post });
          this.loading.delete(one);
        }
        return found;
      });
    }
    const batch = this.pendingBatch;
    return (await batch).get(id) ?? null;
  }

  private async fromPostgres(userId: string, limit: number, after?: { ms: number; id: string }): Promise<FeedPage> {
    const { rows } = await this.pg.query<Row>(
      `SELECT p.* FROM feed_follows f
       CROSS JOIN LATERAL (
         SELECT * FROM feed_posts WHERE author_id = f.followee AND NOT deleted
           ${after ? "AND (created_at, id) < ($3::timestamptz, $4::uuid)" : ""}
         ORDER BY created_at DESC, id DESC LIMIT $2) p
       WHERE f.follower = $1
       ORDER BY p.created_at DESC, p.id DESC LIMIT $2`,
      after ? [userId, limit + 1, new Date(after.ms), after.id] : [userId, limit + 1],
    );
    const items = rows.slice(0, limit).map(toPost);
    return { items, nextCursor: rows.length > limit ? encode(items[items.length - 1]!) : null };
  }
}

export function createFeedService(options: FeedOptions): FeedService {
  return new PullFeed(options);
}
