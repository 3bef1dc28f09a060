/**
 * Mistake: the cursor holds only createdAt, and the next page starts strictly before it.
 * When a page ends inside a group of posts from the same millisecond, the rest of the group
 * is skipped.
 */
import type { FeedOptions, FeedPage, FeedService } from "../../../challenges/feed-cache/src/index.ts";
import { ReferenceFeed } from "../feed-service.ts";

export const mustFail = ["pagination.same-millisecond"];
// The random graph also has posts sharing a millisecond; whether a page ends among them depends on the page size.
export const mayFail = ["timeline.matches-oracle", "efficiency.cached-page-round-trips", "efficiency.indexed-queries"];

class CreatedAtCursorFeed extends ReferenceFeed {
  override async getHomeFeed(userId: string, options: { limit: number; cursor?: string }): Promise<FeedPage> {
    let cursor: string | undefined;
    if (options.cursor !== undefined) {
      const text = typeof options.cursor === "string" ? Buffer.from(options.cursor, "base64url").toString() : "";
      if (!/^\d{1,15}$/.test(text)) throw new TypeError("bad cursor");
      const ms = Number(text);
      cursor = Buffer.from(`${ms}:0`).toString("base64url"); // "older than ms": before every id of that millisecond
    }
    const page = await super.getHomeFeed(userId, { limit: options.limit, ...(cursor === undefined ? {} : { cursor }) });
    const last = page.items[page.items.length - 1];
    return { items: page.items, nextCursor: page.nextCursor && last ? Buffer.from(String(Date.parse(last.createdAt))).toString("base64url") : null };
  }
}

export function createFeedService(options: FeedOptions): FeedService {
  return new CreatedAtCursorFeed(options);
}
