/**
 * Mistake: a rebuild loads the timeline and its bodies in one query, but bodies missing
 * from a cached timeline (expired, evicted) are loaded one query per post. Every test
 * that starts from a flush looks fine; a page whose timeline is cached but whose bodies
 * expired costs one query per missing body (the N+1 query, where it is hardest to see).
 */
import type { FeedOptions, FeedService } from "../../../challenges/feed-cache/src/index.ts";
import { ReferenceFeed } from "../feed-service.ts";

export const mustFail = ["efficiency.missing-bodies-in-one-query"];

class QueryPerMissingBodyFeed extends ReferenceFeed {
  protected override async loadBodies(ids: string[]): Promise<Map<string, string>> {
    const values = new Map<string, string>();
    for (const id of ids) for (const [key, value] of await super.loadBodies([id])) values.set(key, value);
    return values;
  }
}

export function createFeedService(options: FeedOptions): FeedService {
  return new QueryPerMissingBodyFeed(options);
}
