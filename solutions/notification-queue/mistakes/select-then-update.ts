/**
 * Mistake: SELECT the due deliveries, then UPDATE them to claim them, in two statements
 * with no lock between. Two workers that poll at the same moment select the same rows and
 * both send them.
 */
import type { ClaimResult } from "../queue-store.ts";
import { PostgresStore, claimSql, queueVariant, toClaimed } from "./queue-variant.ts";

export const mustFail = ["concurrency.exactly-once"];

// The reference's claim, fed with ids selected beforehand instead of locking them itself.
const updateSelected = claimSql.replace(/WITH picked AS \([\s\S]*?FOR UPDATE SKIP LOCKED\n\)/, "WITH picked AS (SELECT unnest($1::uuid[]) AS id)");

class SelectThenUpdateStore extends PostgresStore {
  override async claim(limit: number): Promise<ClaimResult> {
    const due = await this.pg.query("SELECT id FROM nq_deliveries WHERE status = 'pending' AND due_at <= clock_timestamp() ORDER BY due_at LIMIT $1", [limit]);
    const row = (await this.pg.query(updateSelected, [due.rows.map((r) => r.id as string), this.options.leaseMs])).rows[0];
    return { claimed: row.claimed.map(toClaimed), nextDueAt: row.next_due };
  }
}

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({ store: (options) => new SelectThenUpdateStore(options.pg, options) });
