/**
 * Mistake: look the idempotency key up, and store it when it is missing. Twenty requests
 * that arrive together all find it missing, each stores it (the last one wins the row),
 * and the user gets the notification several times.
 */
import { randomUUID } from "node:crypto";
import type { NotificationInput } from "../../../challenges/notification-queue/src/index.ts";
import { PostgresStore, queueVariant } from "./queue-variant.ts";

export const mustFail = ["idempotency.concurrent-enqueues"];

class CheckThenInsertStore extends PostgresStore {
  override async enqueue(n: NotificationInput): Promise<{ notificationId: string; deduplicated: boolean }> {
    const existing = await this.pg.query("SELECT notification_id FROM nq_idempotency WHERE key = $1 AND expires_at > clock_timestamp()", [n.idempotencyKey]);
    if (existing.rowCount) return { notificationId: existing.rows[0].notification_id, deduplicated: true };
    const notificationId = randomUUID();
    await this.pg.query(
      `INSERT INTO nq_idempotency (key, notification_id, expires_at) VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3::float8 / 1000))
       ON CONFLICT (key) DO UPDATE SET notification_id = EXCLUDED.notification_id, expires_at = EXCLUDED.expires_at`,
      [n.idempotencyKey, notificationId, this.options.dedupWindowMs],
    );
    await this.pg.query("INSERT INTO nq_notifications (id, user_id, type, payload, critical) VALUES ($1, $2, $3, $4, $5)", [notificationId, n.userId, n.type, JSON.stringify(n.payload), n.critical ?? false]);
    await this.pg.query(
      `INSERT INTO nq_deliveries (notification_id, position, channel, attempt_limit)
       SELECT $1, c.position, c.channel, $3 FROM unnest($2::text[]) WITH ORDINALITY AS c (channel, position)`,
      [notificationId, n.channels, this.options.maxAttempts],
    );
    await this.pg.query("SELECT pg_notify('nq_due', '')");
    return { notificationId, deduplicated: false };
  }
}

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({ store: (options) => new CheckThenInsertStore(options.pg, options) });
