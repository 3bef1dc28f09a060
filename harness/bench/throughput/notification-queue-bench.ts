import type { Channel, OutboundMessage, Provider } from "../../../challenges/notification-queue/src/index.ts";
import type { ThroughputBench } from "./throughput-bench.ts";

const total = 3000;
const concurrency = 16;

/** Waits until `count()` reaches `target`, checking every millisecond or so. */
async function until(count: () => number, target: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (count() < target) {
    if (performance.now() > deadline) throw new Error(`only ${count()} of ${target} deliveries within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/**
 * The reference's worker (concurrency 16, providers that answer at once) against a bare
 * loop doing the same work on the same Postgres: one SKIP LOCKED claim per batch of 16
 * that leases the rows and returns each payload after the recipient's preference check
 * the spec requires at send time, and one fenced single-row UPDATE per result. No
 * worker, wake-up path, idempotency, retries or dead letters.
 */
export const notificationQueueBench: ThroughputBench = {
  challenge: "notification-queue",
  services: ["postgres", "redis"],
  unit: "deliveries/s",
  referenceName: "worker of concurrency 16, instant providers",
  limitName: "bare loop: SKIP LOCKED claim of 16 with payload and preference + one fenced UPDATE per result",
  concurrency,
  async reference({ pg, redis }) {
    const { createNotificationService } = await import("../../../solutions/notification-queue/index.ts");
    let sent = 0;
    const provider: Provider = { send: async (_message: OutboundMessage) => void sent++ };
    const providers = Object.fromEntries((["email", "sms", "push"] as Channel[]).map((channel) => [channel, provider])) as Record<Channel, Provider>;
    const service = createNotificationService({ pg: pg!, redis: redis!, providers, maxAttempts: 3, backoff: { baseMs: 100, maxMs: 1000 }, leaseMs: 30_000, dedupWindowMs: 60_000 });
    await service.migrate();
    const run = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    for (let i = 0; i < total; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => service.enqueue({ idempotencyKey: `bench-${run}-${i + j}`, userId: `user-${(i + j) % 100}`, type: "bench", payload: { i: i + j }, channels: ["email"] })));
    }
    const started = performance.now();
    const worker = service.startWorker({ concurrency });
    try {
      await until(() => sent, total, 60_000);
    } finally {
      await worker.stop();
    }
    return (total / (performance.now() - started)) * 1000;
  },
  async limit({ pg }) {
    await pg!.query(`
      CREATE TABLE IF NOT EXISTS bench_notifications (id bigserial PRIMARY KEY, user_id text NOT NULL, type text NOT NULL, payload jsonb NOT NULL);
      CREATE TABLE IF NOT EXISTS bench_preferences (user_id text, type text, channel text, enabled boolean NOT NULL, PRIMARY KEY (user_id, type, channel));
      CREATE TABLE IF NOT EXISTS bench_jobs (id bigserial PRIMARY KEY, notification_id bigint NOT NULL REFERENCES bench_notifications,
        channel text NOT NULL, status text NOT NULL, lease_token int NOT NULL DEFAULT 0, due_at timestamptz NOT NULL DEFAULT now());
      CREATE INDEX IF NOT EXISTS bench_jobs_due ON bench_jobs (due_at) WHERE status = 'pending';`);
    await pg!.query(`
      WITH n AS (INSERT INTO bench_notifications (user_id, type, payload)
                 SELECT 'user-' || (i % 100), 'bench', jsonb_build_object('i', i) FROM generate_series(1, $1) AS i RETURNING id)
      INSERT INTO bench_jobs (notification_id, channel, status) SELECT id, 'email', 'pending' FROM n`,
      [total],
    );
    const started = performance.now();
    let done = 0;
    while (done < total) {
      // The least a claim must do: lock a batch, lease it, and return what the provider needs,
      // checking the recipient's preference for that type and channel as it is now.
      const claimed = await pg!.query<{ id: string; lease_token: number; user_id: string; payload: unknown }>(
        `WITH picked AS (
           SELECT id FROM bench_jobs WHERE status = 'pending' AND due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED
         ), claimed AS (
           UPDATE bench_jobs j SET lease_token = j.lease_token + 1, due_at = now() + interval '30 seconds'
           FROM picked WHERE j.id = picked.id RETURNING j.id, j.lease_token, j.notification_id, j.channel
         )
         SELECT c.id, c.lease_token, n.user_id, n.payload FROM claimed c JOIN bench_notifications n ON n.id = c.notification_id
         WHERE coalesce((SELECT p.enabled FROM bench_preferences p WHERE p.user_id = n.user_id AND p.type = n.type AND p.channel = c.channel), true)`,
        [concurrency],
      );
      if (claimed.rowCount === 0) throw new Error(`bare loop ran dry after ${done} of ${total}`);
      await Promise.all(claimed.rows.map((row) => pg!.query("UPDATE bench_jobs SET status = 'sent' WHERE id = $1 AND lease_token = $2 AND status = 'pending'", [row.id, row.lease_token])));
      done += claimed.rowCount ?? 0;
    }
    return (total / (performance.now() - started)) * 1000;
  },
};
