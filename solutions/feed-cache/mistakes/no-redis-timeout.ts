/**
 * Mistake: Redis calls have no deadline. A stopped Redis is handled (the client rejects at
 * once), but a hung one (a frozen VM, a long-running script, a full network buffer)
 * accepts every command and never answers: each read waits forever, and the fallback to
 * Postgres never starts.
 */
import type { FeedOptions, FeedService } from "../../../challenges/feed-cache/src/index.ts";
import { ReferenceFeed } from "../feed-service.ts";

export const mustFail = ["resilience.serves-while-redis-hangs"];

class NoTimeoutFeed extends ReferenceFeed {
  protected override readonly redisTimeoutMs = 0;
}

export function createFeedService(options: FeedOptions): FeedService {
  return new NoTimeoutFeed(options);
}
