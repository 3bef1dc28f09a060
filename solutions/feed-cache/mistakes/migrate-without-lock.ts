/**
 * Mistake: migrate() trusts CREATE TABLE IF NOT EXISTS to make it safe everywhere. It is
 * idempotent one call at a time, but two services starting together both find no table,
 * both create it, and the one that commits second fails (duplicate key in pg_type, or
 * "relation already exists"): a deploy that starts several instances at once crashes some.
 */
import type { FeedOptions, FeedService } from "../../../challenges/feed-cache/src/index.ts";
import { ReferenceFeed } from "../feed-service.ts";
import { schema } from "../schema.ts";

export const mustFail = ["timeline.concurrent-migrate"];

class UnlockedMigrateFeed extends ReferenceFeed {
  override async migrate(): Promise<void> {
    await this.pg.query(schema);
  }
}

export function createFeedService(options: FeedOptions): FeedService {
  return new UnlockedMigrateFeed(options);
}
