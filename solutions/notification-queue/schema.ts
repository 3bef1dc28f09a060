import type { Pool } from "pg";

/**
 * Deliveries carry their own schedule: `due_at` is when the next attempt may start, and a
 * claim moves it to the lease's end, so an expired lease is simply "due" again.
 */
export const schema = `
CREATE TABLE IF NOT EXISTS nq_notifications (
  id         uuid PRIMARY KEY,
  user_id    text NOT NULL,
  type       text NOT NULL,
  payload    jsonb NOT NULL,
  critical   boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS nq_idempotency (
  key             text PRIMARY KEY,
  notification_id uuid NOT NULL,
  expires_at      timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS nq_deliveries (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  notification_id uuid NOT NULL REFERENCES nq_notifications (id),
  position        int NOT NULL,
  channel         text NOT NULL,
  status          text NOT NULL DEFAULT 'pending',
  attempts        int NOT NULL DEFAULT 0,
  attempt_limit   int NOT NULL,
  due_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  lease_token     bigint NOT NULL DEFAULT 0,
  last_error      text
);
CREATE INDEX IF NOT EXISTS nq_deliveries_due ON nq_deliveries (due_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS nq_deliveries_notification ON nq_deliveries (notification_id);
CREATE INDEX IF NOT EXISTS nq_deliveries_dead ON nq_deliveries (notification_id) WHERE status = 'dead';
CREATE TABLE IF NOT EXISTS nq_preferences (
  user_id text NOT NULL,
  type    text NOT NULL,
  channel text NOT NULL,
  enabled boolean NOT NULL,
  PRIMARY KEY (user_id, type, channel)
);
`;

/** Concurrent migrations (several services starting at once) must not trip over each other. */
export async function migrateSchema(pg: Pool): Promise<void> {
  const client = await pg.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(7204131)");
    await client.query(schema);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
