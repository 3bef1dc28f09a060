/**
 * Mistake: textbook cache-aside. editPost updates Postgres, then deletes the cached body;
 * the next reader loads it and caches it. But a reader that loaded the old body just
 * before the edit caches it just after the delete, and the old version is back until the
 * key expires.
 */
import type { FeedOptions, FeedService, Post } from "../../../challenges/feed-cache/src/index.ts";
import { ReferenceFeed } from "../feed-service.ts";

export const mustFail = ["invalidation.edit-races-slow-reader"];

class CacheAsideFeed extends ReferenceFeed {
  protected override async cacheEdit(post: Post): Promise<void> {
    await this.cache(() => this.redis.del(this.bodyKey(post.id)));
  }
}

export function createFeedService(options: FeedOptions): FeedService {
  return new CacheAsideFeed(options);
}
