import { expect } from "vitest";
import { graded, runConcurrently, sentBefore, sleepUntil, withTimingRetries } from "../../../harness/testing/index.ts";
import { notification, settled, showEnqueue, startService } from "./queue.ts";

graded(
  "idempotency.concurrent-enqueues",
  {
    points: 5,
    timeoutMs: 8000,
    hint: "Looking the key up and then inserting races. Let one atomic write decide who is first: INSERT ... ON CONFLICT on a unique key, or SET key id NX PX dedupWindowMs; the others return the winner's notificationId.",
  },
  async (t) => {
    // Four services on their own pools and clients, as four processes would be.
    const first = await startService(t);
    const others = await Promise.all([1, 2, 3].map(() => startService(t, { providers: first.providers, migrate: false })));
    const services = [first, ...others];
    // Open the pools' connections first, so that the 20 enqueues below reach the stores together.
    await Promise.all(services.flatMap((s) => Array.from({ length: 5 }, () => s.pool.query("SELECT 1"))));
    const input = notification({ idempotencyKey: "checkout-7f3a", channels: ["email", "sms"] });
    const results = await runConcurrently(20, (i) => services[i % 4]!.service.enqueue(input));
    const failures = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures, `20 concurrent ${showEnqueue(input)} across 4 services: calls that threw`).toEqual([]);
    const answers = results.map((r) => (r as PromiseFulfilledResult<{ notificationId: string; deduplicated: boolean }>).value);
    const ids = new Set(answers.map((a) => String(a.notificationId)));
    expect([...ids], `notificationIds returned by 20 concurrent enqueues of one key: all the same`).toHaveLength(1);
    expect(answers.filter((a) => a.deduplicated === false).length, `answers with deduplicated: false (${JSON.stringify(answers.map((a) => a.deduplicated))}): exactly one enqueue was first`).toBe(1);
    expect(answers.filter((a) => a.deduplicated === true).length, "answers with deduplicated: true").toBe(19);

    first.startWorker();
    const byChannel = await settled(first.service, answers[0]!.notificationId, 3000);
    expect(Object.keys(byChannel).sort(), "channels in getDeliveries() of the one notification").toEqual(["email", "sms"]);
    await first.providers.waitForSends(2, "the two deliveries", 1000);
    expect(first.providers.sends.length, `sends for 20 enqueues of one key with 2 channels (${first.providers.describe()}): one per channel`).toBe(2);
  },
);

graded(
  "idempotency.window-expires",
  {
    points: 3,
    timeoutMs: 12_000,
    hint: "Remember a key for exactly dedupWindowMs after the enqueue that used it (a TTL, or an expiry timestamp compared on the next enqueue), neither shorter nor renewed by duplicates; after that the same key is a new notification.",
  },
  async (t) => {
    const windowMs = 1500;
    /** The key is asked for again this long before the window ends; that answer must come back before it ends. */
    const nearEndMs = 400;
    const { service, providers, startWorker } = await startService(t, { dedupWindowMs: windowMs });
    const ids: string[] = [];
    await withTimingRetries(async (attempt) => {
      const input = notification({ idempotencyKey: `weekly-digest-2025-w14-${attempt}`, channels: ["push"] });
      const sentAt = performance.now();
      const original = await service.enqueue(input);
      const storedBy = performance.now();
      expect(original.deduplicated, `first ${showEnqueue(input)}`).toBe(false);

      const withinAt = performance.now();
      const within = await service.enqueue(input);
      sentBefore(withinAt, sentAt + windowMs - nearEndMs, "the second enqueue of the key");
      expect(within, `the same key again ${Math.round(withinAt - sentAt)} ms later (window ${windowMs} ms)`).toEqual({ notificationId: original.notificationId, deduplicated: true });
      const otherKey = await service.enqueue({ ...input, idempotencyKey: `weekly-digest-2025-w15-${attempt}` });
      expect(otherKey.deduplicated, "another key within the window").toBe(false);
      expect(String(otherKey.notificationId), "notificationId of another key").not.toBe(String(original.notificationId));

      // Near the end of the window the key is still remembered: a window that is too short (or cut to whole seconds) has forgotten it.
      await sleepUntil(storedBy + windowMs - nearEndMs);
      const nearEndAt = performance.now();
      const nearEnd = await service.enqueue(input);
      sentBefore(performance.now(), sentAt + windowMs, "the answer to the enqueue near the end of the window");
      expect(nearEnd, `the same key ${Math.round(nearEndAt - sentAt)} ms after it was first used, answered before the window (${windowMs} ms) ended, must be deduplicated; got ${JSON.stringify(nearEnd)}`).toEqual({ notificationId: original.notificationId, deduplicated: true });

      // The window counts from the first enqueue: the duplicates above did not extend it.
      await sleepUntil(storedBy + windowMs + 100);
      const after = await service.enqueue(input);
      expect(after.deduplicated, `the same key ${Math.round(performance.now() - sentAt)} ms after it was first used (window ${windowMs} ms, counted from that first enqueue): accepted again`).toBe(false);
      expect(String(after.notificationId), "notificationId once the window has passed: a new notification").not.toBe(String(original.notificationId));
      ids.push(original.notificationId, otherKey.notificationId, after.notificationId);
    });

    startWorker();
    for (const notificationId of ids) await settled(service, notificationId, 3000);
    const ours = providers.sends.filter((s) => ids.includes(s.message.notificationId));
    expect(ours.length, `sends (${providers.describe()}): one per notification of one channel`).toBe(ids.length);
  },
);
