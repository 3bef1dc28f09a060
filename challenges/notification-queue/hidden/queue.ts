import { expect, onTestFinished } from "vitest";
import { eventually, type GradedContext, type InstrumentedPool, type InstrumentedRedis } from "../../../harness/testing/index.ts";
import type { Delivery, NotificationInput, NotificationOptions, NotificationService, Worker } from "../src/index.ts";
import { load, type QueueModule } from "./implementation.ts";
import { RecordingProviders } from "./providers.ts";

/** Small windows so a grade is fast; every test states the ones it changes. */
export const defaults = {
  maxAttempts: 3,
  backoff: { baseMs: 50, maxMs: 200 },
  // Long enough that no attempt outlives it, even on a loaded machine (a re-claim would count
  // as an attempt, as rule 18 allows); the crash-recovery tests set their own short leases.
  leaseMs: 5000,
  dedupWindowMs: 500,
} satisfies Omit<NotificationOptions, "pg" | "redis" | "providers">;

export interface StartedService {
  module: QueueModule;
  service: NotificationService;
  pool: InstrumentedPool;
  redis: InstrumentedRedis;
  providers: RecordingProviders;
  options: Omit<NotificationOptions, "pg" | "redis" | "providers">;
  /** Starts a worker that is stopped (not gracefully) when the test ends. */
  startWorker(concurrency?: number): Worker;
}

export interface ServiceSetup extends Partial<Omit<NotificationOptions, "pg" | "redis" | "providers">> {
  /** Share another service's recording doubles (as one provider account used by several processes). */
  providers?: RecordingProviders;
  /** Run migrate() first. @default true */
  migrate?: boolean;
}

/** A service on its own pool and Redis client, as a separate process would have. */
export async function startService(t: GradedContext, setup: ServiceSetup = {}): Promise<StartedService> {
  const module = await load(t);
  const pool = t.postgres();
  const redis = await t.redis();
  const providers = setup.providers ?? new RecordingProviders(module);
  const options = {
    maxAttempts: setup.maxAttempts ?? defaults.maxAttempts,
    backoff: setup.backoff ?? defaults.backoff,
    leaseMs: setup.leaseMs ?? defaults.leaseMs,
    dedupWindowMs: setup.dedupWindowMs ?? defaults.dedupWindowMs,
  };
  const service = module.createNotificationService({ pg: pool, redis, providers: providers.providers, ...options });
  if (setup.migrate ?? true) await service.migrate();
  return {
    module,
    service,
    pool,
    redis,
    providers,
    options,
    startWorker(concurrency = 4) {
      const worker = service.startWorker({ concurrency });
      // Registered after the clients' cleanup, so it runs before they are closed.
      onTestFinished(async () => {
        await Promise.race([worker.stop({ graceful: false }).catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2000))]);
      });
      return worker;
    },
  };
}

let keys = 0;

/** A notification with a fresh idempotency key. */
export function notification(overrides: Partial<NotificationInput> = {}): NotificationInput {
  keys++;
  return {
    idempotencyKey: `key-${process.pid}-${keys}-${Math.random().toString(36).slice(2, 8)}`,
    userId: "user-1",
    type: "order-shipped",
    payload: { orderId: 42 },
    channels: ["email"],
    ...overrides,
  };
}

/** An enqueue call as it appears in messages. */
export function showEnqueue(n: NotificationInput): string {
  const { idempotencyKey, userId, type, channels, critical } = n;
  return `enqueue(${JSON.stringify({ idempotencyKey, userId, type, channels, ...(critical ? { critical } : {}) })})`;
}

/** getDeliveries' answer, short, for messages. */
export function showDeliveries(deliveries: Delivery[]): string {
  return JSON.stringify(deliveries.map((d) => ({ ...d, deliveryId: String(d.deliveryId).slice(0, 12) })));
}

/** Waits (bounded) until every delivery of the notification has left "pending"; returns them by channel. */
export async function settled(service: NotificationService, notificationId: string, timeoutMs: number, what = "the deliveries"): Promise<Record<string, Delivery>> {
  const deliveries = await eventually(
    async () => {
      const found = await service.getDeliveries(notificationId);
      expect(found.length > 0 && found.every((d) => d.status !== "pending"), `${what} of notification ${notificationId} within ${timeoutMs} ms: getDeliveries() = ${showDeliveries(found)}; expected none still pending`).toBe(true);
      return found;
    },
    { timeoutMs, intervalMs: 10 },
  );
  return Object.fromEntries(deliveries.map((d) => [d.channel, d]));
}

/** Waits (bounded) until one delivery has `status`. */
export async function untilStatus(service: NotificationService, notificationId: string, deliveryId: string, status: Delivery["status"], timeoutMs: number, what: string): Promise<Delivery> {
  return eventually(
    async () => {
      const found = (await service.getDeliveries(notificationId)).find((d) => d.deliveryId === deliveryId);
      expect(found?.status, `${what}: status of delivery ${deliveryId} within ${timeoutMs} ms (getDeliveries: ${JSON.stringify(found)})`).toBe(status);
      return found!;
    },
    { timeoutMs, intervalMs: 10 },
  );
}
