/**
 * Shared by the hidden files (not a test file): starts instances of the implementation
 * and keeps the oracle, the answer every feed must give, computed only from what the
 * test did through the public interface.
 */
import { expect } from "vitest";
import type { GradedContext, InstrumentedPool, InstrumentedRedis } from "../../../harness/testing/index.ts";
import type { FeedPage, FeedService, Post } from "../src/index.ts";
import { load } from "./implementation.ts";

/** A clock the test moves by hand, so that many posts can share one millisecond. */
export class TestClock {
  constructor(public ms = Date.parse("2030-01-01T00:00:00.000Z")) {}
  readonly now = (): Date => new Date(this.ms);
  tick(ms = 1): void {
    this.ms += ms;
  }
}

export interface FeedSettings {
  celebrityThreshold: number;
  timelineMaxLen: number;
  pageMax: number;
}

export const defaults: FeedSettings = { celebrityThreshold: 1000, timelineMaxLen: 50, pageMax: 50 };

/** One running instance of the learner's service, with the pool and client it was given. */
export interface Instance {
  feed: FeedService;
  pool: InstrumentedPool;
  redis: InstrumentedRedis;
  settings: FeedSettings;
}

export interface StartOptions extends Partial<FeedSettings> {
  clock?: TestClock;
  /** Run migrate() first; a second instance on the same database skips it. @default true */
  migrate?: boolean;
  /** A pool of the test's own (e.g. one that holds results back). */
  pool?: InstrumentedPool;
}

/** Creates an instance on a fresh pool and Redis client; closed when the test ends. */
export async function startFeed(t: GradedContext, options: StartOptions = {}): Promise<Instance> {
  const { createFeedService } = await load(t);
  const pool = options.pool ?? t.postgres();
  const redis = await t.redis();
  const settings: FeedSettings = {
    celebrityThreshold: options.celebrityThreshold ?? defaults.celebrityThreshold,
    timelineMaxLen: options.timelineMaxLen ?? defaults.timelineMaxLen,
    pageMax: options.pageMax ?? defaults.pageMax,
  };
  const feed = createFeedService({ pg: pool, redis, ...settings, now: (options.clock ?? new TestClock()).now });
  if (options.migrate ?? true) await feed.migrate();
  return { feed, pool, redis, settings };
}

/** A post in messages: id, time, author and body, short. */
export function describePost(post: Post | undefined): string {
  if (!post) return "(none)";
  const body = post.body.length > 24 ? `${post.body.slice(0, 20)}…` : post.body;
  return `${post.authorId}/${post.id}@${String(post.createdAt).slice(11, 23)} "${body}"`;
}

export function describePosts(posts: Post[], max = 8): string {
  const shown = posts.slice(0, max).map(describePost).join(", ");
  return `[${shown}${posts.length > max ? `, … ${posts.length - max} more` : ""}]`;
}

/**
 * What the test did, through the public interface: users, follows and posts (edited and
 * deleted ones included). The expected feed is derived from it, never from your tables.
 */
export class World {
  readonly posts = new Map<string, Post>();
  readonly deleted = new Set<string>();
  readonly follows = new Map<string, Set<string>>();

  constructor(
    readonly instance: Instance,
    readonly clock: TestClock,
  ) {}

  async users(...ids: string[]): Promise<void> {
    for (const id of ids) await this.instance.feed.createUser(id);
  }

  async follow(follower: string, followee: string, via: Instance = this.instance): Promise<void> {
    await via.feed.follow(follower, followee);
    const set = this.follows.get(follower) ?? new Set();
    set.add(followee);
    this.follows.set(follower, set);
  }

  async unfollow(follower: string, followee: string, via: Instance = this.instance): Promise<void> {
    await via.feed.unfollow(follower, followee);
    this.follows.get(follower)?.delete(followee);
  }

  /** createPost at the clock's time; checks the Post it returns. */
  async post(author: string, body: string, via: Instance = this.instance): Promise<Post> {
    const post = await via.feed.createPost(author, body);
    const sent = `createPost(${JSON.stringify(author)}, ${JSON.stringify(body)}) at now() = ${this.clock.now().toISOString()}`;
    expect(typeof post?.id, `${sent} returned ${JSON.stringify(post)}: id must be a string`).toBe("string");
    expect({ authorId: post.authorId, body: post.body, createdAt: post.createdAt }, `${sent} returned ${JSON.stringify(post)}`).toEqual({
      authorId: author,
      body,
      createdAt: this.clock.now().toISOString(),
    });
    expect(this.posts.has(post.id), `${sent} returned id ${post.id}, which an earlier post already has`).toBe(false);
    this.posts.set(post.id, { id: post.id, authorId: author, body, createdAt: post.createdAt });
    return post;
  }

  async edit(author: string, id: string, body: string, via: Instance = this.instance): Promise<Post> {
    const post = await via.feed.editPost(author, id, body);
    const before = this.posts.get(id)!;
    const expected = { ...before, body };
    expect({ ...post }, `editPost(${JSON.stringify(author)}, ${JSON.stringify(id)}, ${JSON.stringify(body)}) returned`).toEqual(expected);
    this.posts.set(id, expected);
    return post;
  }

  async remove(author: string, id: string, via: Instance = this.instance): Promise<void> {
    await via.feed.deletePost(author, id);
    this.deleted.add(id);
  }

  /** The feed `user` must see: live posts of whom they follow, newest first (equal times in any order). */
  expected(user: string): Post[] {
    const followees = this.follows.get(user) ?? new Set();
    return [...this.posts.values()]
      .filter((post) => followees.has(post.authorId) && !this.deleted.has(post.id))
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  }
}

/** Every page of `user`'s feed, following nextCursor (bounded, so an endless cursor fails instead of hanging). */
export async function readAll(instance: Instance, user: string, limit: number, maxPages = 100): Promise<{ items: Post[]; pages: FeedPage[] }> {
  const pages: FeedPage[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await instance.feed.getHomeFeed(user, cursor === undefined ? { limit } : { limit, cursor });
    expect(Array.isArray(page?.items), `getHomeFeed(${JSON.stringify(user)}, { limit: ${limit}, cursor }) returned ${JSON.stringify(page)?.slice(0, 200)}: items must be an array`).toBe(true);
    pages.push(page);
    if (page.nextCursor === null) break;
    expect(typeof page.nextCursor, `nextCursor of page ${pages.length} of ${user}'s feed (limit ${limit}) must be a string or null`).toBe("string");
    expect(pages.length, `${user}'s feed with limit ${limit} still had a nextCursor after ${maxPages} pages`).toBeLessThan(maxPages);
    cursor = page.nextCursor;
  }
  return { items: pages.flatMap((page) => page.items), pages };
}

/**
 * `items` (pages concatenated) is exactly `expected`: each post once, with its current body,
 * newest first. Posts with the same createdAt may come in any order, but each exactly once.
 */
export function expectFeed(items: Post[], expected: Post[], what: string): void {
  const seen = new Map<string, number>();
  for (const item of items) seen.set(item?.id, (seen.get(item?.id) ?? 0) + 1);
  const duplicated = items.filter((item) => (seen.get(item.id) ?? 0) > 1);
  expect(describePosts(duplicated), `${what}: posts that came more than once (got ${items.length} items, expected ${expected.length})`).toBe("[]");
  const wanted = new Set(expected.map((post) => post.id));
  const missing = expected.filter((post) => !seen.has(post.id));
  const extra = items.filter((item) => !wanted.has(item.id));
  expect(
    { missing: describePosts(missing), unexpected: describePosts(extra) },
    `${what}: expected ${expected.length} posts ${describePosts(expected, 4)}, got ${items.length} ${describePosts(items, 4)}`,
  ).toEqual({ missing: "[]", unexpected: "[]" });
  for (let i = 1; i < items.length; i++) {
    const earlier = items[i - 1]!;
    const later = items[i]!;
    expect(Date.parse(later.createdAt) <= Date.parse(earlier.createdAt), `${what}: item ${i + 1} ${describePost(later)} is newer than item ${i} ${describePost(earlier)}; the feed is newest first`).toBe(true);
  }
  const byId = new Map(expected.map((post) => [post.id, post]));
  for (const item of items) {
    expect({ ...item }, `${what}: the post with id ${item.id}`).toEqual(byId.get(item.id));
  }
}

/** A small deterministic PRNG (mulberry32), so a random graph is the same on every grade. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
