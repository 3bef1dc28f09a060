/**
 * Mistake: the cursor is an offset ("skip the first 20"). When new posts arrive between two
 * pages, everything shifts down: the next page repeats posts the reader has already seen.
 */
import type { FeedOptions, FeedPage, FeedService } from "../../../challenges/feed-cache/src/index.ts";
import { ReferenceFeed } from "../feed-service.ts";

export const mustFail = ["pagination.new-posts-between-pages"];
// Deep pages use ORDER BY ... OFFSET over every followed author's posts, which the planner may answer with a full scan.
export const mayFail = ["efficiency.indexed-queries"];

class OffsetFeed extends ReferenceFeed {
  override async getHomeFeed(userId: string, options: { limit: number; cursor?: string }): Promise<FeedPage> {
    const size = this.pageSize(options.limit);
    const text = options.cursor === undefined ? "0" : typeof options.cursor === "string" ? Buffer.from(options.cursor, "base64url").toString() : "";
    if (!/^\d{1,9}$/.test(text)) throw new TypeError("bad cursor");
    const offset = Number(text);
    const next = (more: boolean) => (more ? Buffer.from(String(offset + size)).toString("base64url") : null);
    // The first offset + size posts from the cache (as ZREVRANGE start stop would), then skip.
    const cached = await this.pageFromCache(userId, null, offset + size).catch(() => null);
    if (cached) return { items: cached.items.slice(offset), nextCursor: next(cached.nextCursor !== null) };
    const rows = await this.pg.query(
      `SELECT p.id, p.author_id, p.body, p.created_at FROM posts p
       WHERE p.author_id IN (SELECT followee_id FROM follows WHERE follower_id = $1) AND p.deleted_at IS NULL
       ORDER BY p.created_at DESC, p.id DESC LIMIT $2 OFFSET $3`,
      [userId, size + 1, offset],
    );
    const items = rows.rows.slice(0, size).map((row) => ({ id: String(row.id), authorId: row.author_id, body: row.body, createdAt: row.created_at.toISOString() }));
    return { items, nextCursor: next(rows.rows.length > size) };
  }
}

export function createFeedService(options: FeedOptions): FeedService {
  return new OffsetFeed(options);
}
