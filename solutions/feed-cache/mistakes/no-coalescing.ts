/**
 * Mistake: every reader that misses the cache goes to Postgres itself. After a flush, or
 * when a popular post's body expires, a burst of readers turns into a burst of identical
 * queries at the moment the database can least afford it (a cache stampede).
 */
import type { FeedOptions, FeedService } from "../../../challenges/feed-cache/src/index.ts";
import { Coalescer } from "../coalescer.ts";
import { ReferenceFeed } from "../feed-service.ts";

export const mustFail = ["stampede.feed-rebuild", "stampede.post-body"];

/** Loads every time it is asked: no sharing between callers. */
class NoCoalescing<V> extends Coalescer<V> {
  override async load(keys: string[], _readSeq: number, loadMany: (keys: string[]) => Promise<Map<string, V>>) {
    return { values: await loadMany(keys), reread: [] };
  }
}

class StampedingFeed extends ReferenceFeed {
  protected override readonly timelines = new NoCoalescing<true>();
  protected override readonly bodies = new NoCoalescing<string>();
}

export function createFeedService(options: FeedOptions): FeedService {
  return new StampedingFeed(options);
}
