/**
 * Mistake: preferences are applied when the notification is enqueued, and the worker
 * sends whatever is pending. A user who opts out while a digest waits in the queue (or
 * behind a retry) still gets it, and one who opts back in does not.
 */
import type { NotificationInput } from "../../../challenges/notification-queue/src/index.ts";
import { PostgresStore, claimSql, queueVariant, toClaimed } from "./queue-variant.ts";

export const mustFail = ["preferences.checked-at-delivery"];

// The claim no longer looks at preferences; enqueue decides instead.
const claimIgnoringPreferences = claimSql.replace(/NOT n\.critical AND NOT coalesce\(\([\s\S]*?LIMIT 1\), true\) AS opted_out/, "false AS opted_out");

class EnqueueTimePreferencesStore extends PostgresStore {
  override async enqueue(n: NotificationInput): Promise<{ notificationId: string; deduplicated: boolean }> {
    const result = await super.enqueue(n);
    if (result.deduplicated || n.critical) return result;
    await this.pg.query(
      `UPDATE nq_deliveries d SET status = 'skipped'
       WHERE d.notification_id = $1 AND NOT coalesce((
         SELECT p.enabled FROM nq_preferences p
         WHERE p.user_id = $2 AND p.type IN ($3, '') AND p.channel IN (d.channel, '')
         ORDER BY (p.type <> '') DESC, (p.channel <> '') DESC LIMIT 1), true)`,
      [result.notificationId, n.userId, n.type],
    );
    return result;
  }

  override async claim(limit: number) {
    const row = (await this.pg.query(claimIgnoringPreferences, [limit, this.options.leaseMs])).rows[0];
    return { claimed: row.claimed.map(toClaimed), nextDueAt: row.next_due };
  }
}

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({ store: (options) => new EnqueueTimePreferencesStore(options.pg, options) });
