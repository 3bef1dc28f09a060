/**
 * Mistake: a claim marks the delivery as taken for good ("in progress") until the worker
 * records the result. When the worker dies mid-send, nobody ever records it: the delivery
 * is stuck, never sent and never dead.
 */
import type { ClaimResult } from "../queue-store.ts";
import { PostgresStore, claimSql, queueVariant, toClaimed } from "./queue-variant.ts";

export const mustFail = ["crash-recovery.killed-worker", "crash-recovery.stale-ack"];

const takenForGood = claimSql.replace("due_at = clock_timestamp() + make_interval(secs => $2::float8 / 1000)", "due_at = 'infinity'::timestamptz");

class LeaselessStore extends PostgresStore {
  override async claim(limit: number): Promise<ClaimResult> {
    const row = (await this.pg.query(takenForGood, [limit])).rows[0];
    const nextDueAt = Number.isFinite(row.next_due) ? (row.next_due as number) : null;
    return { claimed: row.claimed.map(toClaimed), nextDueAt };
  }
}

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({ store: (options) => new LeaselessStore(options.pg, options) });
