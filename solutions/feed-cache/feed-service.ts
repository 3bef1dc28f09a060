import type { Pool } from "pg";
import type { FeedOptions, FeedPage, FeedService, Post } from "../../challenges/feed-cache/src/index.ts";
import { Coalescer } from "./coalescer.ts";
import { decodeCursor, encodeCursor, type Position } from "./cursor.ts";
import { withDeadline } from "./deadline.ts";
import { migrate } from "./schema.ts";
import { withScripts, type FeedPipeline, type FeedRedis } from "./scripts.ts";

/** Raised around every Redis call so callers can tell "the cache failed" from anything else. */
export class CacheUnavailable extends Error {
  override name = "CacheUnavailable";
}

export interface PostRow {
  id: string;
  author_id: string;
  body: string;
  created_at: Date;
  version: number;
}

export function toPost(row: PostRow): Post {
  return { id: String(row.id), authorId: row.author_id, body: row.body, createdAt: row.created_at.toISOString() };
}

/** Sorted-set member of a post: the id zero-padded, so that equal scores order by id. */
export function member(id: string): string {
  return id.padStart(19, "0");
}

function fromMember(value: string): string {
  let start = 0;
  while (start < value.length - 1 && value.charCodeAt(start) === 48) start++;
  return value.slice(start);
}

const postId = /^\d{1,18}$/;

/**
 * The reference: Postgres is the truth; Redis holds per-user timelines (pushed on write),
 * per-celebrity recent posts (merged on read) and versioned post bodies. Methods are
 * protected so the known mistakes can each override one thing.
 */
export class ReferenceFeed implements FeedService {
  protected readonly pg: Pool;
  protected readonly redis: FeedRedis;
  protected readonly threshold: number;
  protected readonly maxLen: number;
  protected readonly pageMax: number;
  protected readonly now: () => Date;
  protected readonly ttlMs = 24 * 3600_000;
  /** TTL of cached bodies and tombstones; 0 would mean they never expire. */
  protected readonly bodyTtlMs: number = 24 * 3600_000;
  /**
   * How long a Redis call may go unanswered before it counts as failed (0: forever). A hung
   * Redis accepts commands and never answers; a healthy one under load can take a while.
   */
  protected readonly redisTimeoutMs: number = 400;
  protected readonly batchSize = 500;
  protected readonly timelines = new Coalescer<true>();
  protected readonly bodies = new Coalescer<string>();

  constructor(options: FeedOptions) {
    this.pg = options.pg;
    this.redis = withScripts(options.redis);
    this.threshold = options.celebrityThreshold;
    this.maxLen = options.timelineMaxLen;
    this.pageMax = options.pageMax;
    this.now = options.now ?? (() => new Date());
  }

  protected timelineKey(userId: string): string {
    return `feed:timeline:${userId}`;
  }
  protected celebritiesKey(userId: string): string {
    return `feed:celebrities:${userId}`;
  }
  protected readonly authorPrefix = "feed:author:";
  protected bodyKey(id: string): string {
    return `feed:post:${id}`;
  }

  /** Runs a Redis call; any failure, or no answer within redisTimeoutMs, becomes CacheUnavailable. */
  protected async cache<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await withDeadline(call(), this.redisTimeoutMs, "Redis");
    } catch (error) {
      throw new CacheUnavailable(String(error), { cause: error });
    }
  }

  /** A pipeline's replies, failing as a whole if any command failed. */
  protected async exec(pipeline: FeedPipeline | ReturnType<FeedRedis["pipeline"]>): Promise<unknown[]> {
    const replies = (await this.cache(() => pipeline.exec())) ?? [];
    for (const [error] of replies) if (error) throw new CacheUnavailable(String(error), { cause: error });
    return replies.map(([, value]) => value);
  }

  /** Writes to the cache that may fail while Redis is down: Postgres already holds the truth. */
  protected async bestEffort(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (!(error instanceof CacheUnavailable)) throw error;
    }
  }

  async migrate(): Promise<void> {
    await migrate(this.pg);
  }

  async createUser(id: string): Promise<void> {
    if (typeof id !== "string" || id.length === 0) throw new TypeError("user id must be a non-empty string");
    await this.pg.query("INSERT INTO users (id) VALUES ($1) ON CONFLICT (id) DO NOTHING", [id]);
  }

  async follow(followerId: string, followeeId: string): Promise<void> {
    const result = await this.pg.query<{ follower_count: number }>(
      `WITH added AS (INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING followee_id)
       UPDATE users SET follower_count = follower_count + 1 WHERE id IN (SELECT followee_id FROM added) RETURNING follower_count`,
      [followerId, followeeId],
    );
    await this.afterFollowChange(followerId, followeeId, result.rows[0]?.follower_count, +1);
  }

  async unfollow(followerId: string, followeeId: string): Promise<void> {
    const result = await this.pg.query<{ follower_count: number }>(
      `WITH removed AS (DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2 RETURNING followee_id)
       UPDATE users SET follower_count = follower_count - 1 WHERE id IN (SELECT followee_id FROM removed) RETURNING follower_count`,
      [followerId, followeeId],
    );
    await this.afterFollowChange(followerId, followeeId, result.rows[0]?.follower_count, -1);
  }

  /**
   * The follower's cached feed no longer matches their follows: drop it, the next read
   * rebuilds it. When the followee crosses the celebrity threshold, every follower's feed
   * changes shape (pushed ↔ merged): drop theirs too (at most `threshold` of them).
   */
  protected async afterFollowChange(followerId: string, followeeId: string, followers: number | undefined, change: 1 | -1): Promise<void> {
    if (followers === undefined) return;
    const stale = [followerId];
    const crossed = change > 0 ? followers === this.threshold : followers === this.threshold - 1;
    if (crossed) {
      const rows = await this.pg.query<{ follower_id: string }>("SELECT follower_id FROM follows WHERE followee_id = $1", [followeeId]);
      stale.push(...rows.rows.map((row) => row.follower_id));
    }
    await this.bestEffort(async () => {
      for (let i = 0; i < stale.length; i += this.batchSize) {
        const keys = stale.slice(i, i + this.batchSize).flatMap((id) => [this.timelineKey(id), this.celebritiesKey(id)]);
        if (crossed && i === 0) keys.push(this.authorPrefix + followeeId);
        await this.cache(() => this.redis.del(...keys));
      }
    });
  }

  async createPost(authorId: string, body: string): Promise<Post> {
    if (typeof body !== "string") throw new TypeError("body must be a string");
    const result = await this.pg.query<PostRow & { followers: number }>(
      `INSERT INTO posts (author_id, body, created_at) VALUES ($1, $2, $3)
       RETURNING id, author_id, body, created_at, version, (SELECT follower_count FROM users WHERE id = $1) AS followers`,
      [authorId, body, this.now()],
    );
    const row = result.rows[0]!;
    const post = toPost(row);
    const celebrity = row.followers >= this.threshold;
    const followers = await this.pushTargets(authorId, celebrity);
    await this.bestEffort(() => this.fanOut(post, row.version, celebrity, followers));
    return post;
  }

  /** Whose timelines a new post goes to: nobody's for a celebrity (merged on read instead). */
  protected async pushTargets(authorId: string, celebrity: boolean): Promise<string[]> {
    return celebrity ? [] : this.followersOf(authorId);
  }

  protected async followersOf(authorId: string): Promise<string[]> {
    const rows = await this.pg.query<{ follower_id: string }>("SELECT follower_id FROM follows WHERE followee_id = $1", [authorId]);
    return rows.rows.map((row) => row.follower_id);
  }

  /** Caches the body, then pushes the post to the celebrity's list or to each follower's cached timeline, a pipeline per batch. */
  protected async fanOut(post: Post, version: number, celebrity: boolean, followers: string[]): Promise<void> {
    const score = Date.parse(post.createdAt);
    let pipeline = this.redis.pipeline() as FeedPipeline;
    pipeline.feedSetBody(this.bodyKey(post.id), version, JSON.stringify(post), this.bodyTtlMs);
    if (celebrity) pipeline.feedPush(this.authorPrefix + post.authorId, score, member(post.id), this.maxLen);
    let queued = 0;
    for (const follower of followers) {
      pipeline.feedPush(this.timelineKey(follower), score, member(post.id), this.maxLen);
      if (++queued === this.batchSize) {
        await this.exec(pipeline);
        pipeline = this.redis.pipeline() as FeedPipeline;
        queued = 0;
      }
    }
    if (pipeline.length > 0) await this.exec(pipeline);
  }

  async editPost(authorId: string, id: string, body: string): Promise<Post> {
    if (typeof body !== "string") throw new TypeError("body must be a string");
    const result = await this.pg.query<PostRow>(
      "UPDATE posts SET body = $3, version = version + 1 WHERE id = $1 AND author_id = $2 AND deleted_at IS NULL RETURNING id, author_id, body, created_at, version",
      [this.checkId(id), authorId, body],
    );
    const row = result.rows[0];
    if (!row) throw new RangeError(`no post ${id} by ${authorId}`);
    const post = toPost(row);
    await this.bestEffort(() => this.cacheEdit(post, row.version));
    return post;
  }

  /** Writes the new version over the old one; a reader still holding the old one cannot put it back (versions only go up). */
  protected async cacheEdit(post: Post, version: number): Promise<void> {
    await this.cache(() => this.redis.feedSetBody(this.bodyKey(post.id), version, JSON.stringify(post), this.bodyTtlMs));
  }

  async deletePost(authorId: string, id: string): Promise<void> {
    const result = await this.pg.query<{ id: string; followers: number }>(
      `UPDATE posts SET deleted_at = now(), version = version + 1 WHERE id = $1 AND author_id = $2 AND deleted_at IS NULL
       RETURNING id, (SELECT follower_count FROM users WHERE id = $2) AS followers`,
      [this.checkId(id), authorId],
    );
    const row = result.rows[0];
    if (!row) throw new RangeError(`no post ${id} by ${authorId}`);
    const celebrity = row.followers >= this.threshold;
    const followers = celebrity ? [] : await this.followersOf(authorId);
    await this.bestEffort(() => this.cacheDelete(String(row.id), authorId, followers));
  }

  /** A tombstone for the body (so no reader can cache it again), and the post out of every list that holds it. */
  protected async cacheDelete(id: string, authorId: string, followers: string[]): Promise<void> {
    let pipeline = this.redis.pipeline() as FeedPipeline;
    pipeline.feedSetBody(this.bodyKey(id), "d", "", this.bodyTtlMs);
    pipeline.zrem(this.authorPrefix + authorId, member(id));
    for (let i = 0; i < followers.length; i++) {
      pipeline.zrem(this.timelineKey(followers[i]!), member(id));
      if ((i + 1) % this.batchSize === 0) {
        await this.exec(pipeline);
        pipeline = this.redis.pipeline() as FeedPipeline;
      }
    }
    if (pipeline.length > 0) await this.exec(pipeline);
  }

  protected checkId(id: string): string {
    if (typeof id !== "string" || !postId.test(id)) throw new RangeError(`no post ${JSON.stringify(id)}`);
    return id;
  }

  protected pageSize(limit: number): number {
    if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be an integer of at least 1, got ${String(limit)}`);
    return Math.min(limit, this.pageMax);
  }

  async getHomeFeed(userId: string, options: { limit: number; cursor?: string }): Promise<FeedPage> {
    const size = this.pageSize(options?.limit);
    const after = options.cursor === undefined ? null : decodeCursor(options.cursor);
    try {
      const page = await this.pageFromCache(userId, after, size);
      if (page) return page;
    } catch (error) {
      if (!(error instanceof CacheUnavailable)) throw error;
    }
    return this.pageFromPostgres(userId, after, size);
  }

  /** A page from Redis, or null when the cache cannot answer it exactly (beyond its depth, or a deleted post still listed). */
  protected async pageFromCache(userId: string, after: Position | null, size: number): Promise<FeedPage | null> {
    let readSeq = this.timelines.mark();
    let window = await this.readWindow(userId, after, size + 1);
    if (!window) {
      await this.timelines.load([userId], readSeq, () => this.rebuild(userId).then(() => new Map([[userId, true as const]])));
      readSeq = this.timelines.mark();
      window = await this.readWindow(userId, after, size + 1);
      if (!window) return null;
    }
    const { floor, entries } = window;
    if (entries.length <= size && floor >= 0) return null;
    const page = entries.slice(0, size);
    const posts = await this.postsById(page.map((entry) => entry.id));
    const items: Post[] = [];
    for (const entry of page) {
      const post = posts.get(entry.id);
      if (!post) return null;
      items.push(post);
    }
    const last = page[page.length - 1];
    return { items, nextCursor: entries.length > size && last ? encodeCursor(last) : null };
  }

  /** Up to `want` entries after `after`, merged from the timeline and the followed celebrities' lists, in one round trip. */
  protected async readWindow(userId: string, after: Position | null, want: number): Promise<{ floor: number; entries: Position[] } | null> {
    const reply = await this.cache(() =>
      this.redis.feedRead(this.timelineKey(userId), this.celebritiesKey(userId), this.authorPrefix, after ? String(after.ms) : "", after ? member(after.id) : "", want),
    );
    if (!reply) return null;
    const entries: Position[] = [];
    for (let i = 1; i < reply.length; i += 2) entries.push({ ms: Number(reply[i]), id: fromMember(reply[i + 1]!) });
    return { floor: Number(reply[0]), entries };
  }

  /**
   * Rebuilds a user's timeline, celebrity ids and any missing celebrity list with one
   * query, and caches the bodies it read (never over a newer version).
   */
  protected async rebuild(userId: string): Promise<void> {
    const result = await this.pg.query<PostRow & { list: string | null; celebrity: boolean }>(
      `WITH followed AS (
         SELECT f.followee_id AS author_id, u.follower_count >= $2 AS celebrity
         FROM follows f JOIN users u ON u.id = f.followee_id
         WHERE f.follower_id = $1
       ),
       pushed AS (
         SELECT p.* FROM followed
         CROSS JOIN LATERAL (
           SELECT id, author_id, body, created_at, version FROM posts
           WHERE author_id = followed.author_id AND deleted_at IS NULL
           ORDER BY created_at DESC, id DESC LIMIT $3
         ) p
         WHERE NOT followed.celebrity
         ORDER BY p.created_at DESC, p.id DESC LIMIT $3
       )
       SELECT followed.author_id AS list, true AS celebrity, p.id, p.author_id, p.body, p.created_at, p.version
       FROM followed
       LEFT JOIN LATERAL (
         SELECT id, author_id, body, created_at, version FROM posts
         WHERE author_id = followed.author_id AND deleted_at IS NULL
         ORDER BY created_at DESC, id DESC LIMIT $3
       ) p ON true
       WHERE followed.celebrity
       UNION ALL
       SELECT NULL, false, id, author_id, body, created_at, version FROM pushed`,
      [userId, this.threshold, this.maxLen + 1],
    );
    const timeline: PostRow[] = [];
    const celebrities = new Map<string, PostRow[]>();
    for (const row of result.rows) {
      if (row.list === null) timeline.push(row);
      else {
        const list = celebrities.get(row.list) ?? [];
        if (row.id !== null) list.push(row);
        celebrities.set(row.list, list);
      }
    }
    const pipeline = this.redis.pipeline() as FeedPipeline;
    pipeline.feedFill(this.timelineKey(userId), "replace", this.ttlMs, ...this.listOf(timeline));
    pipeline.set(this.celebritiesKey(userId), [...celebrities.keys()].join(","), "PX", this.ttlMs);
    for (const [author, rows] of celebrities) pipeline.feedFill(this.authorPrefix + author, "absent", this.ttlMs, ...this.listOf(rows));
    this.cacheRebuiltBodies(pipeline, [...timeline, ...[...celebrities.values()].flat()]);
    await this.exec(pipeline);
  }

  /** Queues the bodies a rebuild read (never over a newer version), so its first page needs no second query. */
  protected cacheRebuiltBodies(pipeline: FeedPipeline, rows: PostRow[]): void {
    for (const row of rows) pipeline.feedSetBody(this.bodyKey(String(row.id)), row.version, JSON.stringify(toPost(row)), this.bodyTtlMs);
  }

  /** floor, then score/member pairs, of the newest `maxLen` rows of `rows` (newest first, at most maxLen + 1). */
  protected listOf(rows: PostRow[]): [number, ...(string | number)[]] {
    const kept = rows.slice(0, this.maxLen);
    const floor = rows.length > this.maxLen ? kept[kept.length - 1]!.created_at.getTime() : -1;
    return [floor, ...kept.flatMap((row) => [row.created_at.getTime(), member(String(row.id))])];
  }

  /** Posts by id from cached bodies; the missing ones in one query shared with concurrent readers. Deleted posts are absent. */
  protected async postsById(ids: string[]): Promise<Map<string, Post>> {
    const found = new Map<string, Post>();
    let wanted = ids;
    for (let attempt = 0; wanted.length > 0; attempt++) {
      const readSeq = attempt < 2 ? this.bodies.mark() : Number.MAX_SAFE_INTEGER;
      const cached = attempt === 0 || attempt === 1 ? await this.cache(() => this.redis.mget(wanted.map((id) => this.bodyKey(id)))) : wanted.map(() => null);
      const missing: string[] = [];
      wanted.forEach((id, i) => {
        const value = cached[i];
        if (value == null) missing.push(id);
        else if (!value.startsWith("d|")) found.set(id, JSON.parse(value.slice(value.indexOf("|") + 1)) as Post);
      });
      if (missing.length === 0) break;
      const { values, reread } = await this.bodies.load(missing, readSeq, (batch) => this.loadBodies(batch));
      for (const [id, value] of values) if (value) found.set(id, JSON.parse(value) as Post);
      wanted = reread;
    }
    return found;
  }

  /** One query for every body in `ids`; caches each (or a tombstone) before answering. Values are Post JSON, "" for deleted. */
  protected async loadBodies(ids: string[]): Promise<Map<string, string>> {
    const result = await this.pg.query<PostRow & { deleted: boolean }>(
      "SELECT id, author_id, body, created_at, version, deleted_at IS NOT NULL AS deleted FROM posts WHERE id = ANY($1::bigint[])",
      [ids],
    );
    const values = new Map<string, string>(ids.map((id) => [id, ""]));
    const pipeline = this.redis.pipeline() as FeedPipeline;
    for (const row of result.rows) {
      const payload = row.deleted ? "" : JSON.stringify(toPost(row));
      values.set(String(row.id), payload);
      pipeline.feedSetBody(this.bodyKey(String(row.id)), row.deleted ? "d" : row.version, payload, this.bodyTtlMs);
    }
    await this.bestEffort(() => this.exec(pipeline));
    return values;
  }

  /** The page straight from Postgres: the newest posts of each followed author after the cursor (an index range each), merged. */
  protected async pageFromPostgres(userId: string, after: Position | null, size: number): Promise<FeedPage> {
    const position = after ? "AND (created_at, id) < ($3::timestamptz, $4::bigint)" : "";
    const result = await this.pg.query<PostRow>(
      `SELECT p.id, p.author_id, p.body, p.created_at, p.version
       FROM follows f
       CROSS JOIN LATERAL (
         SELECT id, author_id, body, created_at, version FROM posts
         WHERE author_id = f.followee_id AND deleted_at IS NULL ${position}
         ORDER BY created_at DESC, id DESC LIMIT $2
       ) p
       WHERE f.follower_id = $1
       ORDER BY p.created_at DESC, p.id DESC LIMIT $2`,
      after ? [userId, size + 1, new Date(after.ms), after.id] : [userId, size + 1],
    );
    const rows = result.rows;
    const items = rows.slice(0, size).map(toPost);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > size && last ? encodeCursor({ ms: Date.parse(last.createdAt), id: last.id }) : null };
  }
}

export function createFeedService(options: FeedOptions): FeedService {
  return new ReferenceFeed(options);
}
