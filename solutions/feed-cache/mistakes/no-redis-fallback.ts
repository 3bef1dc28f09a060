/**
 * Mistake: the read path trusts Redis. While Redis is down every getHomeFeed rejects,
 * although Postgres holds every post.
 */
import type { FeedOptions, FeedPage, FeedService } from "../../../challenges/feed-cache/src/index.ts";
import { decodeCursor } from "../cursor.ts";
import { ReferenceFeed } from "../feed-service.ts";

// A hung Redis ends in a timeout, which it does not catch either.
export const mustFail = ["resilience.serves-without-redis", "resilience.serves-while-redis-hangs"];

class NoFallbackFeed extends ReferenceFeed {
  override async getHomeFeed(userId: string, options: { limit: number; cursor?: string }): Promise<FeedPage> {
    const size = this.pageSize(options.limit);
    const after = options.cursor === undefined ? null : decodeCursor(options.cursor);
    return (await this.pageFromCache(userId, after, size)) ?? this.pageFromPostgres(userId, after, size);
  }
}

export function createFeedService(options: FeedOptions): FeedService {
  return new NoFallbackFeed(options);
}
