/**
 * Mistake (too early): a Redis timeout half the reference's, 200 ms ("fail fast"). A
 * healthy Redis that is slow for a moment (a fork for a snapshot, a big command, a busy
 * host) gets abandoned, and every such moment turns cached reads into Postgres queries.
 */
import type { FeedOptions, FeedService } from "../../../challenges/feed-cache/src/index.ts";
import { ReferenceFeed } from "../feed-service.ts";

export const mustFail = ["resilience.waits-for-a-slow-redis"];

class ImpatientFeed extends ReferenceFeed {
  protected override readonly redisTimeoutMs = 200;
}

export function createFeedService(options: FeedOptions): FeedService {
  return new ImpatientFeed(options);
}
