/**
 * A worker process for crash-recovery.killed-worker, run by the suite with `node --import tsx`.
 * It loads the implementation under test, starts one worker whose providers report each
 * send to the parent and never finish, and waits to be killed.
 * Env: KATAS_NQ_IMPL (module path), KATAS_NQ_TARGETS (JSON { postgres, redis }), KATAS_NQ_OPTIONS (JSON).
 */
import { Redis } from "ioredis";
import pg from "pg";
import { pathToFileURL } from "node:url";
import type { PostgresTarget, RedisTarget } from "../../../harness/services/types.ts";
import type { Channel, OutboundMessage, Provider } from "../src/index.ts";
import type { QueueModule } from "./implementation.ts";

function report(message: Record<string, unknown>): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const module = (await import(pathToFileURL(process.env.KATAS_NQ_IMPL!).href)) as QueueModule;
  const targets = JSON.parse(process.env.KATAS_NQ_TARGETS!) as { postgres: PostgresTarget; redis: RedisTarget };
  const options = JSON.parse(process.env.KATAS_NQ_OPTIONS!) as { maxAttempts: number; backoff: { baseMs: number; maxMs: number }; leaseMs: number; dedupWindowMs: number };
  const { postgres, redis: r } = targets;
  const pool = new pg.Pool({ host: postgres.host, port: postgres.port, user: postgres.user, password: postgres.password, database: postgres.database, max: 5 });
  pool.on("error", () => {});
  const redis = new Redis({ host: r.host, port: r.port, username: r.username, password: r.password, db: r.db, maxRetriesPerRequest: 1 });
  redis.on("error", () => {});
  const hanging = (channel: Channel): Provider => ({
    send: (message: OutboundMessage) => {
      report({ type: "send-started", channel, deliveryId: message.deliveryId, at: Date.now() });
      return new Promise<void>(() => {});
    },
  });
  const service = module.createNotificationService({ pg: pool, redis, providers: { email: hanging("email"), sms: hanging("sms"), push: hanging("push") }, ...options });
  // Any lease the worker takes begins after this instant.
  report({ type: "worker-starting", at: Date.now() });
  service.startWorker({ concurrency: 1 });
  report({ type: "worker-started", at: Date.now() });
}

main().catch((error: unknown) => {
  process.stderr.write(`crash-victim: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
