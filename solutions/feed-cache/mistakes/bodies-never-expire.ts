/**
 * Mistake: post bodies are cached with a plain SET and no TTL ("posts rarely change").
 * Redis keeps every body ever read until it runs out of memory; with maxmemory-policy
 * volatile-* nothing can even be evicted.
 */
import type { FeedOptions, FeedService } from "../../../challenges/feed-cache/src/index.ts";
import { ReferenceFeed } from "../feed-service.ts";

export const mustFail = ["efficiency.bounded-keys"];

class ImmortalBodiesFeed extends ReferenceFeed {
  protected override readonly bodyTtlMs = 0;
}

export function createFeedService(options: FeedOptions): FeedService {
  return new ImmortalBodiesFeed(options);
}
