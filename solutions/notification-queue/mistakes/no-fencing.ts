/**
 * Mistake: results are recorded by deliveryId alone. An attempt that outlived its lease
 * reports late and overwrites what the newer attempt recorded: a sent delivery goes back
 * to pending (and is sent again) or to dead.
 */
import type { AttemptOutcome, ClaimedDelivery } from "../queue-store.ts";
import { PostgresStore, completeParams, completeSql, queueVariant } from "./queue-variant.ts";

export const mustFail = ["crash-recovery.stale-ack"];

const unfencedSql = completeSql.replace("WHERE id = $1 AND lease_token = $2 AND status = 'pending'", "WHERE id = $1 AND $2::bigint IS NOT NULL");

class UnfencedStore extends PostgresStore {
  override async complete(claimed: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
    await this.pg.query(unfencedSql, completeParams(claimed, outcome));
  }
}

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({ store: (options) => new UnfencedStore(options.pg, options) });
