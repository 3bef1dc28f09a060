import { randomUUID } from "node:crypto";
import type { Pool } from "pg";
import type { Channel, Delivery, NotificationInput, NotificationOptions, Preference } from "../../challenges/notification-queue/src/index.ts";
import type { AttemptOutcome, ClaimedDelivery, ClaimResult, QueueStore } from "./queue-store.ts";
import { migrateSchema } from "./schema.ts";

const wakeChannel = "nq_due";
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One statement: lock up to $1 due deliveries nobody else holds (SKIP LOCKED), decide each
 * one against the preferences as they are now, lease the ones to send, and report when the
 * next delivery not taken here falls due.
 */
export const claimSql = `
WITH picked AS (
  SELECT id FROM nq_deliveries
  WHERE status = 'pending' AND due_at <= clock_timestamp()
  ORDER BY due_at
  LIMIT $1
  FOR UPDATE SKIP LOCKED
), decided AS (
  SELECT d.id,
         d.attempts >= d.attempt_limit AS exhausted,
         NOT n.critical AND NOT coalesce((
           SELECT p.enabled FROM nq_preferences p
           WHERE p.user_id = n.user_id AND p.type IN (n.type, '') AND p.channel IN (d.channel, '')
           ORDER BY (p.type <> '') DESC, (p.channel <> '') DESC
           LIMIT 1), true) AS opted_out
  FROM picked JOIN nq_deliveries d USING (id) JOIN nq_notifications n ON n.id = d.notification_id
), claimed AS (
  UPDATE nq_deliveries d SET
    status = CASE WHEN x.exhausted THEN 'dead' WHEN x.opted_out THEN 'skipped' ELSE 'pending' END,
    attempts = CASE WHEN x.exhausted OR x.opted_out THEN d.attempts ELSE d.attempts + 1 END,
    last_error = CASE WHEN x.exhausted THEN 'lease expired during the last attempt' ELSE d.last_error END,
    lease_token = d.lease_token + 1,
    due_at = clock_timestamp() + make_interval(secs => $2::float8 / 1000)
  FROM decided x
  WHERE d.id = x.id
  RETURNING d.id, d.notification_id, d.channel, d.status, d.attempts, d.lease_token
)
SELECT
  (SELECT coalesce(json_agg(json_build_object(
      'id', c.id, 'notificationId', c.notification_id, 'channel', c.channel, 'attempts', c.attempts,
      'token', c.lease_token::text, 'userId', n.user_id, 'type', n.type, 'payload', n.payload)), '[]'::json)
   FROM claimed c JOIN nq_notifications n ON n.id = c.notification_id
   WHERE c.status = 'pending') AS claimed,
  (SELECT floor(extract(epoch FROM min(due_at)) * 1000)::float8 FROM nq_deliveries
   WHERE status = 'pending' AND id NOT IN (SELECT id FROM picked)) AS next_due
`;

/**
 * One statement, so one implicit transaction: claim the key (or take over an expired one),
 * and only if that worked store the notification, its deliveries and the wake-up.
 * A concurrent enqueue of the same key waits on the key's row, then finds it taken.
 */
export const enqueueSql = `
WITH key AS (
  INSERT INTO nq_idempotency (key, notification_id, expires_at)
  VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3::float8 / 1000))
  ON CONFLICT (key) DO UPDATE SET notification_id = EXCLUDED.notification_id, expires_at = EXCLUDED.expires_at
  WHERE nq_idempotency.expires_at <= clock_timestamp()
  RETURNING notification_id
), notification AS (
  INSERT INTO nq_notifications (id, user_id, type, payload, critical)
  SELECT notification_id, $4, $5, $6, $7 FROM key
  RETURNING id
), deliveries AS (
  INSERT INTO nq_deliveries (notification_id, position, channel, attempt_limit)
  SELECT notification.id, c.position, c.channel, $9 FROM notification, unnest($8::text[]) WITH ORDINALITY AS c (channel, position)
)
SELECT (SELECT count(*) FROM (SELECT pg_notify('${wakeChannel}', '') FROM notification) AS woken) AS notified
`;

/** Records an attempt, fenced by the lease token: a stale attempt's result changes nothing. */
export const deliveriesSql = "SELECT id, channel, status, attempts, last_error FROM nq_deliveries WHERE notification_id = $1 ORDER BY position";

export const completeSql = `
UPDATE nq_deliveries SET
  status = CASE WHEN $3 THEN 'sent' WHEN $4 OR attempts >= attempt_limit THEN 'dead' ELSE 'pending' END,
  last_error = CASE WHEN $3 THEN last_error ELSE $5 END,
  due_at = clock_timestamp() + make_interval(secs => $6::float8 / 1000)
WHERE id = $1 AND lease_token = $2 AND status = 'pending'
`;

/** `completeSql`'s parameters for one attempt's outcome. */
export function completeParams(claimed: ClaimedDelivery, outcome: AttemptOutcome): unknown[] {
  return [
    claimed.message.deliveryId,
    claimed.token,
    outcome.ok,
    !outcome.ok && outcome.permanent,
    outcome.ok ? null : outcome.error,
    outcome.ok ? 0 : outcome.delayMs,
  ];
}

interface ClaimedRow {
  id: string;
  notificationId: string;
  channel: Channel;
  attempts: number;
  token: string;
  userId: string;
  type: string;
  payload: Record<string, unknown>;
}

interface DeliveryRow {
  id: string;
  channel: Channel;
  status: Delivery["status"];
  attempts: number;
  last_error: string | null;
}

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    deliveryId: row.id,
    channel: row.channel,
    status: row.status,
    attempts: row.attempts,
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
  };
}

export function toClaimed(row: ClaimedRow): ClaimedDelivery {
  return {
    attempt: row.attempts,
    token: row.token,
    message: { deliveryId: row.id, notificationId: row.notificationId, userId: row.userId, channel: row.channel, type: row.type, payload: row.payload },
  };
}

/** Postgres holds everything; LISTEN/NOTIFY wakes idle workers. */
export class PostgresStore implements QueueStore {
  /** The statement `enqueue` runs (see `enqueueSql`); a subclass may swap it. */
  protected readonly enqueueStatement: string = enqueueSql;

  constructor(
    protected readonly pg: Pool,
    protected readonly options: NotificationOptions,
  ) {}

  migrate(): Promise<void> {
    return migrateSchema(this.pg);
  }

  async enqueue(n: NotificationInput): Promise<{ notificationId: string; deduplicated: boolean }> {
    const notificationId = randomUUID();
    const result = await this.pg.query(
      this.enqueueStatement,
      [n.idempotencyKey, notificationId, this.options.dedupWindowMs, n.userId, n.type, JSON.stringify(n.payload ?? {}), n.critical ?? false, [...new Set(n.channels)], this.options.maxAttempts],
    );
    if (Number(result.rows[0].notified) === 1) return { notificationId, deduplicated: false };
    const existing = await this.pg.query("SELECT notification_id FROM nq_idempotency WHERE key = $1", [n.idempotencyKey]);
    return { notificationId: existing.rows[0].notification_id as string, deduplicated: true };
  }

  async setPreference(userId: string, p: Preference): Promise<void> {
    await this.pg.query(
      `INSERT INTO nq_preferences (user_id, type, channel, enabled) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, type, channel) DO UPDATE SET enabled = EXCLUDED.enabled`,
      [userId, p.type ?? "", p.channel ?? "", p.enabled],
    );
  }

  async claim(limit: number): Promise<ClaimResult> {
    const result = await this.pg.query(claimSql, [limit, this.options.leaseMs]);
    const row = result.rows[0] as { claimed: ClaimedRow[]; next_due: number | null };
    return { claimed: row.claimed.map(toClaimed), nextDueAt: row.next_due };
  }

  async complete(claimed: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
    await this.pg.query(completeSql, completeParams(claimed, outcome));
  }

  async subscribe(wake: () => void): Promise<() => Promise<void>> {
    const client = await this.pg.connect();
    client.on("notification", wake);
    // A broken listener only costs latency: the worker still polls every idlePollMs.
    client.on("error", () => {});
    try {
      await client.query(`LISTEN ${wakeChannel}`);
    } catch (error) {
      client.release(true);
      throw error;
    }
    return async () => {
      client.off("notification", wake);
      // Destroyed rather than returned: a pooled connection would keep listening.
      client.release(true);
    };
  }

  async getDeliveries(notificationId: string): Promise<Delivery[]> {
    // The id comes from a client: one that is not a uuid is unknown, not a uuid cast error.
    if (!uuidPattern.test(notificationId)) return [];
    const result = await this.pg.query(deliveriesSql, [notificationId]);
    return result.rows.map(toDelivery);
  }

  async listDeadLetters(): Promise<Delivery[]> {
    const result = await this.pg.query("SELECT id, channel, status, attempts, last_error FROM nq_deliveries WHERE status = 'dead' ORDER BY due_at, id");
    return result.rows.map(toDelivery);
  }

  async retryDeadLetter(deliveryId: string): Promise<void> {
    if (!uuidPattern.test(deliveryId)) return;
    await this.pg.query(
      `WITH revived AS (
         UPDATE nq_deliveries SET status = 'pending', attempt_limit = attempts + 1, due_at = clock_timestamp()
         WHERE id = $1 AND status = 'dead' RETURNING id)
       SELECT pg_notify($2, '') FROM revived`,
      [deliveryId, wakeChannel],
    );
  }
}
