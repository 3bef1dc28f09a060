/**
 * Mistake: the fan-out awaits one write per follower. Correct, but a post to 40 followers
 * is 40 sequential round trips (and 10,000 followers take seconds), where a pipeline per
 * batch sends them all at once.
 */
import type { FeedOptions, FeedService, Post } from "../../../challenges/feed-cache/src/index.ts";
import { member, ReferenceFeed } from "../feed-service.ts";

export const mustFail = ["fan-out.pushes-in-batches"];

class OneByOneFeed extends ReferenceFeed {
  protected override async fanOut(post: Post, version: number, celebrity: boolean, followers: string[]): Promise<void> {
    const score = Date.parse(post.createdAt);
    await this.cache(() => this.redis.feedSetBody(this.bodyKey(post.id), version, JSON.stringify(post), this.bodyTtlMs));
    if (celebrity) await this.cache(() => this.redis.feedPush(this.authorPrefix + post.authorId, score, member(post.id), this.maxLen));
    for (const follower of followers) {
      await this.cache(() => this.redis.feedPush(this.timelineKey(follower), score, member(post.id), this.maxLen));
    }
  }
}

export function createFeedService(options: FeedOptions): FeedService {
  return new OneByOneFeed(options);
}
