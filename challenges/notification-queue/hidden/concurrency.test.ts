import { expect } from "vitest";
import { graded, sleep, withConcurrency } from "../../../harness/testing/index.ts";
import { notification, startService } from "./queue.ts";

const deliveryCount = 500;
/** Double sends happen side by side with the first; this catches stragglers after the last first send. */
const settleMs = 200;

graded(
  "concurrency.exactly-once",
  {
    points: 8,
    timeoutMs: 20_000,
    hint: "Two workers must never claim the same delivery. Claim with one atomic statement: UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING ..., or a Lua script that moves due ids to a claimed set.",
  },
  async (t) => {
    // Three services on their own pools and clients (three processes), each with a worker of concurrency 4.
    const first = await startService(t);
    const services = [first, ...(await Promise.all([1, 2].map(() => startService(t, { providers: first.providers, migrate: false }))))];
    // Each send takes a moment, as a real provider call does, so workers overlap.
    first.providers.behave(() => ({ okAfterMs: Math.floor(Math.random() * 4) }));
    const notificationIds: string[] = [];
    await withConcurrency(deliveryCount / 2, 12, async (i) => {
      const { notificationId } = await services[i % 3]!.service.enqueue(notification({ userId: `user-${i}`, channels: ["email", "push"], payload: { i } }));
      notificationIds[i] = notificationId;
    });
    const workers = services.map((s) => s.startWorker(4));
    await first.providers.waitForSends(deliveryCount, `${deliveryCount} deliveries with 3 services × a worker of concurrency 4`, 12_000);
    await sleep(settleMs);
    const counts = new Map<string, number>();
    for (const send of first.providers.sends) counts.set(send.message.deliveryId, (counts.get(send.message.deliveryId) ?? 0) + 1);
    const repeated = [...counts].filter(([, n]) => n > 1);
    expect(repeated.length, `deliveries sent more than once (${repeated.slice(0, 5).map(([id, n]) => `${id} ×${n}`).join(", ")}${repeated.length > 5 ? ", …" : ""}) out of ${counts.size} distinct, ${first.providers.sends.length} sends`).toBe(0);
    expect(counts.size, "distinct deliveries sent").toBe(deliveryCount);
    await Promise.all(workers.map((w) => w.stop()));
    const notSent: string[] = [];
    for (const id of notificationIds) {
      for (const d of await first.service.getDeliveries(id)) if (d.status !== "sent" || d.attempts !== 1) notSent.push(`${d.channel}:${d.status}/${d.attempts}`);
    }
    expect(notSent, "deliveries not { status: sent, attempts: 1 } after every send succeeded once").toEqual([]);
  },
);
