/**
 * Feed cache — your implementation goes here.
 * The spec is in ../README.md. Grade it with: npm run grade feed-cache
 */
import type { Pool } from "pg";
import type { Redis } from "ioredis";

/** A post as every method returns it. */
export interface Post {
  /** Opaque, unique; yours to choose. */
  id: string;
  authorId: string;
  body: string;
  /** When it was created, from `now()`: ISO 8601 with milliseconds, e.g. "2030-01-31T12:00:00.000Z". */
  createdAt: string;
}

export interface FeedOptions {
  /** Pool on the service's database, provided by the caller. Don't end() it. */
  pg: Pool;
  /** Connected client (ioredis 5, RESP2), provided by the caller. Don't quit() it. */
  redis: Redis;
  /** Authors with at least this many followers are merged into feeds at read time instead of pushed. */
  celebrityThreshold: number;
  /** How many entries of a user's timeline you cache; deeper pages come from Postgres. */
  timelineMaxLen: number;
  /** The largest page; a larger `limit` is clamped to it. */
  pageMax: number;
  /** The clock for `createdAt`. @default () => new Date() */
  now?: () => Date;
}

/** One page of a home feed. */
export interface FeedPage {
  items: Post[];
  /** Pass it back to get the next page; null on the last page. */
  nextCursor: string | null;
}

export interface FeedService {
  /** Creates the schema. Idempotent: safe to run on every start. */
  migrate(): Promise<void>;
  createUser(id: string): Promise<void>;
  follow(followerId: string, followeeId: string): Promise<void>;
  unfollow(followerId: string, followeeId: string): Promise<void>;
  createPost(authorId: string, body: string): Promise<Post>;
  editPost(authorId: string, postId: string, body: string): Promise<Post>;
  deletePost(authorId: string, postId: string): Promise<void>;
  /** The posts of everyone `userId` follows, newest first, one page at a time. */
  getHomeFeed(userId: string, options: { limit: number; cursor?: string }): Promise<FeedPage>;
}

/** Thrown by the parts you have not written yet; the grader reports them as "not implemented". */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}

export function createFeedService(options: FeedOptions): FeedService {
  throw new NotImplementedError("createFeedService");
}
