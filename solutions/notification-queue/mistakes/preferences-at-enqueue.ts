/**
 * Mistake: preferences are applied when the notification is enqueued (opted-out channels
 * are stored as skipped), and the worker sends whatever is pending. A user who opts out
 * while a digest waits in the queue (or behind a retry) still gets it, and one who opts
 * back in does not.
 */
import { randomUUID } from "node:crypto";
import type { NotificationInput } from "../../../challenges/notification-queue/src/index.ts";
import { PostgresStore, claimSql, enqueueSql, queueVariant, toClaimed } from "./queue-variant.ts";

export const mustFail = ["preferences.checked-at-delivery"];

const preferenceOf = `coalesce((
  SELECT p.enabled FROM nq_preferences p
  WHERE p.user_id = $4 AND p.type IN ($5, '') AND p.channel IN (c.channel, '')
  ORDER BY (p.type <> '') DESC, (p.channel <> '') DESC LIMIT 1), true)`;

// Enqueue decides, in the same statement; the claim no longer looks at preferences.
const enqueueDeciding = enqueueSql
  .replace("INSERT INTO nq_deliveries (notification_id, position, channel, attempt_limit)", "INSERT INTO nq_deliveries (notification_id, position, channel, attempt_limit, status)")
  .replace("SELECT notification.id, c.position, c.channel, $9 FROM", `SELECT notification.id, c.position, c.channel, $9, CASE WHEN $7 OR ${preferenceOf} THEN 'pending' ELSE 'skipped' END FROM`);
const claimIgnoringPreferences = claimSql.replace(/NOT n\.critical AND NOT coalesce\(\([\s\S]*?LIMIT 1\), true\) AS opted_out/, "false AS opted_out");

class EnqueueTimePreferencesStore extends PostgresStore {
  override async enqueue(n: NotificationInput): Promise<{ notificationId: string; deduplicated: boolean }> {
    const notificationId = randomUUID();
    const values = [n.idempotencyKey, notificationId, this.options.dedupWindowMs, n.userId, n.type, JSON.stringify(n.payload), n.critical ?? false, [...new Set(n.channels)], this.options.maxAttempts];
    const result = await this.pg.query(enqueueDeciding, values);
    if (Number(result.rows[0].notified) === 1) return { notificationId, deduplicated: false };
    const existing = await this.pg.query("SELECT notification_id FROM nq_idempotency WHERE key = $1", [n.idempotencyKey]);
    return { notificationId: existing.rows[0].notification_id, deduplicated: true };
  }

  override async claim(limit: number) {
    const row = (await this.pg.query(claimIgnoringPreferences, [limit, this.options.leaseMs])).rows[0];
    return { claimed: row.claimed.map(toClaimed), nextDueAt: row.next_due };
  }
}

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({ store: (options) => new EnqueueTimePreferencesStore(options.pg, options) });
