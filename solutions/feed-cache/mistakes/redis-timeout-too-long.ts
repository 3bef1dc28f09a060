/**
 * Mistake (too late): a Redis timeout twice the reference's, 800 ms ("to be safe"). With
 * Redis hung, every read waits 800 ms before it even asks Postgres, past the 700 ms a page
 * may take: the fallback exists, but a page behind it is too slow to count as served.
 */
import type { FeedOptions, FeedService } from "../../../challenges/feed-cache/src/index.ts";
import { ReferenceFeed } from "../feed-service.ts";

export const mustFail = ["resilience.serves-while-redis-hangs"];

class PatientFeed extends ReferenceFeed {
  protected override readonly redisTimeoutMs = 800;
}

export function createFeedService(options: FeedOptions): FeedService {
  return new PatientFeed(options);
}
