/**
 * Mistake: every post is pushed to every follower's timeline, celebrities' too. A post by
 * an account with millions of followers becomes millions of writes (the "Lady Gaga
 * problem"), where one write to the celebrity's own list would do.
 */
import type { FeedOptions, FeedService } from "../../../challenges/feed-cache/src/index.ts";
import { ReferenceFeed } from "../feed-service.ts";

export const mustFail = ["fan-out.celebrity-merged-on-read"];

class PushEverywhereFeed extends ReferenceFeed {
  protected override async pushTargets(authorId: string): Promise<string[]> {
    return this.followersOf(authorId);
  }
}

export function createFeedService(options: FeedOptions): FeedService {
  return new PushEverywhereFeed(options);
}
