/**
 * Mistake: posts are indexed on author_id alone. "The newest N posts of this author" is
 * still an index scan, so no sequential scan shows up, but the index gives no order: every
 * post of the author is read and sorted before the LIMIT applies. A prolific author makes
 * each rebuild and each deep page read and sort their whole history.
 */
import type { FeedOptions, FeedService } from "../../../challenges/feed-cache/src/index.ts";
import { ReferenceFeed } from "../feed-service.ts";
import { migrate, schema } from "../schema.ts";

export const mustFail = ["efficiency.indexed-queries"];

const authorOnly = schema.replace("ON posts (author_id, created_at DESC, id DESC)", "ON posts (author_id)");

class AuthorIndexFeed extends ReferenceFeed {
  override async migrate(): Promise<void> {
    await migrate(this.pg, authorOnly);
  }
}

export function createFeedService(options: FeedOptions): FeedService {
  return new AuthorIndexFeed(options);
}
