/**
 * Mistake: editPost and deletePost find the post by its id alone. `authorId` is the
 * caller's identity, yet any user who knows (or guesses) a post id can rewrite or delete
 * someone else's post, and the caches faithfully spread the damage.
 */
import type { FeedOptions, FeedService, Post } from "../../../challenges/feed-cache/src/index.ts";
import { ReferenceFeed, toPost, type PostRow } from "../feed-service.ts";

export const mustFail = ["invalidation.only-the-author"];

class AnyoneMayEditFeed extends ReferenceFeed {
  override async editPost(_authorId: string, id: string, body: string): Promise<Post> {
    if (typeof body !== "string") throw new TypeError("body must be a string");
    const result = await this.pg.query<PostRow>(
      "UPDATE posts SET body = $2, version = version + 1 WHERE id = $1 AND deleted_at IS NULL RETURNING id, author_id, body, created_at, version",
      [this.checkId(id), body],
    );
    const row = result.rows[0];
    if (!row) throw new RangeError(`no post ${id}`);
    const post = toPost(row);
    await this.bestEffort(() => this.cacheEdit(post, row.version));
    return post;
  }

  override async deletePost(_authorId: string, id: string): Promise<void> {
    const result = await this.pg.query<{ id: string; author_id: string; followers: number }>(
      `UPDATE posts SET deleted_at = now(), version = version + 1 WHERE id = $1 AND deleted_at IS NULL
       RETURNING id, author_id, (SELECT follower_count FROM users WHERE users.id = posts.author_id) AS followers`,
      [this.checkId(id)],
    );
    const row = result.rows[0];
    if (!row) throw new RangeError(`no post ${id}`);
    const followers = row.followers >= this.threshold ? [] : await this.followersOf(row.author_id);
    await this.bestEffort(() => this.cacheDelete(String(row.id), row.author_id, followers));
  }
}

export function createFeedService(options: FeedOptions): FeedService {
  return new AnyoneMayEditFeed(options);
}
