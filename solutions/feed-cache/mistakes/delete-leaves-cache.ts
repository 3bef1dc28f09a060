/**
 * Mistake: deletePost marks the row in Postgres and stops there. The cached timelines,
 * the celebrity's list and the cached body all still hold the post, so it stays in feeds
 * until the cache expires.
 */
import type { FeedOptions, FeedService } from "../../../challenges/feed-cache/src/index.ts";
import { ReferenceFeed } from "../feed-service.ts";

export const mustFail = ["invalidation.delete-everywhere", "invalidation.only-the-author"];
// The bounded-keys workload deletes posts too, and checks the feeds before the keys.
export const mayFail = ["efficiency.bounded-keys"];

class PostgresOnlyDeleteFeed extends ReferenceFeed {
  protected override async cacheDelete(): Promise<void> {}
}

export function createFeedService(options: FeedOptions): FeedService {
  return new PostgresOnlyDeleteFeed(options);
}
