import { expect } from "vitest";
import { graded, sleep, throughputComparison } from "../../../harness/testing/index.ts";
import type { QueueModule } from "./implementation.ts";
import { RecordingProviders } from "./providers.ts";
import { defaults, notification, startService } from "./queue.ts";

/** SQL queries plus Redis round trips a worker may spend to start and claim one batch of 10. */
const batchBudget = 5;
/** SQL queries plus Redis round trips an idle worker may spend in a second. */
const idleBudget = 5;
const idleWindowMs = 1000;
/** How soon an idle worker must start a send enqueued by another process. */
const pickupMs = 1000;

graded(
  "efficiency.batch-claim",
  {
    points: 4,
    timeoutMs: 8000,
    hint: "Claim up to `concurrency` due deliveries in one statement (UPDATE ... WHERE id IN (SELECT ... LIMIT $n FOR UPDATE SKIP LOCKED) RETURNING ...) or one Lua script, with the preferences joined in, not one query per delivery.",
  },
  async (t) => {
    const producer = await startService(t);
    for (let i = 0; i < 10; i++) await producer.service.enqueue(notification({ userId: `user-${i}`, channels: ["email"] }));
    const worker = await startService(t, { migrate: true });
    worker.providers.behave(() => "hang");
    worker.pool.traffic.reset();
    worker.redis.traffic.reset();
    worker.startWorker(10);
    await worker.providers.waitForSends(10, "10 due deliveries, a worker of concurrency 10", 3000);
    const { queries, statements } = worker.pool.traffic;
    const { roundTrips, commandNames } = worker.redis.traffic;
    const sql = [...new Set(statements.map((s) => s.replace(/\s+/g, " ").trim().slice(0, 80)))].join(" | ");
    expect(
      queries + roundTrips,
      `SQL queries (${queries}: ${sql || "none"}) plus Redis round trips (${roundTrips}: ${[...new Set(commandNames)].join(", ") || "none"}) from startWorker() until 10 due deliveries were being sent; budget ${batchBudget}`,
    ).toBeLessThanOrEqual(batchBudget);
  },
);

graded(
  "efficiency.idle-no-busy-poll",
  {
    points: 4,
    timeoutMs: 8000,
    hint: "Don't poll in a tight loop. LISTEN on a dedicated connection and NOTIFY on enqueue (or block on a Redis list or stream), and otherwise sleep until the next due time; a poll every few hundred ms is the most an idle worker may do.",
  },
  async (t) => {
    const idle = await startService(t);
    const producer = await startService(t, { providers: idle.providers, migrate: false });
    idle.startWorker(4);
    await sleep(300); // startup: LISTEN, a first claim, loading scripts
    idle.pool.traffic.reset();
    idle.redis.traffic.reset();
    await sleep(idleWindowMs);
    const { queries, statements } = idle.pool.traffic;
    const { roundTrips, commandNames } = idle.redis.traffic;
    const sql = [...new Set(statements.map((s) => s.replace(/\s+/g, " ").trim().slice(0, 80)))].join(" | ");
    expect(
      queries + roundTrips,
      `SQL queries (${queries}: ${sql || "none"}) plus Redis round trips (${roundTrips}: ${[...new Set(commandNames)].join(", ") || "none"}) of a worker with nothing to do, in ${idleWindowMs} ms; budget ${idleBudget}`,
    ).toBeLessThanOrEqual(idleBudget);

    const enqueuedAt = performance.now();
    await producer.service.enqueue(notification({ channels: ["push"] }));
    const [send] = await idle.providers.waitForSends(1, "the idle worker's send of a notification another service enqueued", pickupMs + 2000);
    expect(Math.round(send!.startedAt - enqueuedAt), `ms from enqueue() (in another service) until the idle worker started the send; bound ${pickupMs}`).toBeLessThanOrEqual(pickupMs);
  },
);

/** The JIT warms up once per process: the first measurement, always the reference's, warms it longer. */
let firstMeasurement = true;

throughputComparison<QueueModule>("efficiency", { name: "deliveries", unit: "deliveries/s", timeoutMs: 30_000 }, async (impl, t) => {
  // The reference and the learner's code run one after the other in one test: start each on an empty database.
  await t.postgres().query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
  await (await t.redis()).flushdb();
  const providers = new RecordingProviders(impl);
  const service = impl.createNotificationService({ pg: t.postgres(), redis: await t.redis(), providers: providers.providers, ...defaults });
  await service.migrate();
  const run = async (count: number): Promise<number> => {
    const already = providers.sends.length;
    for (let i = 0; i < count; i += 20) {
      await Promise.all(Array.from({ length: Math.min(20, count - i) }, (_, j) => service.enqueue(notification({ userId: `user-${i + j}`, channels: ["email"] }))));
    }
    const started = performance.now();
    const worker = service.startWorker({ concurrency: 16 });
    try {
      await providers.waitForSends(already + count, `${count} deliveries`, 20_000);
    } finally {
      await worker.stop();
    }
    return (count / (performance.now() - started)) * 1000;
  };
  await run(firstMeasurement ? 300 : 100); // untimed: opens connections, warms the JIT
  firstMeasurement = false;
  return run(600);
});
