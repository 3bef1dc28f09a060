/**
 * Mistake: missing bodies are loaded one query per post (the N+1 query). A page of 30
 * posts after a flush is 31 queries where 2 would do, and a rebuild after a flush is no
 * longer one query however well the readers are coalesced.
 */
import type { FeedOptions, FeedService } from "../../../challenges/feed-cache/src/index.ts";
import { ReferenceFeed } from "../feed-service.ts";

export const mustFail = ["efficiency.bodies-in-one-query", "efficiency.missing-bodies-in-one-query", "stampede.feed-rebuild"];

class NPlusOneFeed extends ReferenceFeed {
  protected override async loadBodies(ids: string[]): Promise<Map<string, string>> {
    const values = new Map<string, string>();
    for (const id of ids) for (const [key, value] of await super.loadBodies([id])) values.set(key, value);
    return values;
  }

  // Its rebuild caches the timeline only, as many designs do (the reference's also caches the bodies it read), so pages load bodies.
  protected override cacheRebuiltBodies(): void {}
}

export function createFeedService(options: FeedOptions): FeedService {
  return new NPlusOneFeed(options);
}
