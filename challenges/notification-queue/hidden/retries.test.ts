import { expect } from "vitest";
import { graded, sleep, watchStalls, withTimingRetries } from "../../../harness/testing/index.ts";
import { notification, settled, showEnqueue, startService, untilStatus } from "./queue.ts";

/** Timers may fire up to a millisecond or two early by another clock; anything earlier is a bug. */
const earlyToleranceMs = 3;
/**
 * Below the smallest delay (baseMs), so a delay off by a factor of two is caught in both
 * directions; a loaded 2-core machine adds tens of milliseconds, rarely more than 200.
 */
const lateToleranceMs = 300;

graded(
  "retries.failed-channel-alone",
  { points: 3, timeoutMs: 6000, hint: "Retry per delivery, not per notification: a failing channel is rescheduled alone, with the same deliveryId, and the channels that succeeded are not sent again." },
  async (t) => {
    const { service, providers, startWorker } = await startService(t);
    // The sms attempt fails only once email and push are stored as sent, so a retry of the whole notification cannot slip through.
    providers.behave((message, nth) => (message.channel === "sms" && nth === 1 ? "hang" : "ok"));
    const input = notification({ channels: ["email", "sms", "push"] });
    const { notificationId } = await service.enqueue(input);
    const initial = await service.getDeliveries(notificationId);
    startWorker();
    const [held] = await providers.waitForSends(1, "the first sms attempt", 3000, (s) => s.channel === "sms");
    for (const delivery of initial.filter((d) => d.channel !== "sms")) {
      await untilStatus(service, notificationId, delivery.deliveryId, "sent", 3000, `the ${delivery.channel} delivery, while the sms attempt is still in flight (worker concurrency 4)`);
    }
    providers.release(held!, { fail: "sms gateway timeout" });
    const byChannel = await settled(service, notificationId, 4000, `${showEnqueue(input)}, sms failing once`);
    expect(byChannel.sms, `the sms delivery after one failure and a retry: ${JSON.stringify(byChannel.sms)}`).toMatchObject({ status: "sent", attempts: 2 });
    for (const channel of ["email", "push"] as const) {
      expect(byChannel[channel], `the ${channel} delivery, which succeeded at once`).toMatchObject({ status: "sent", attempts: 1 });
    }
    await sleep(300); // a wrongly repeated send of email or push would come within the backoff (50 ms) plus a pickup
    expect(providers.sendsTo("email").length, `email sends (${providers.describe()}): only sms failed`).toBe(1);
    expect(providers.sendsTo("push").length, `push sends (${providers.describe()}): only sms failed`).toBe(1);
    const sms = providers.sendsTo("sms");
    expect(sms.length, `sms sends (${providers.describe()}): one failure, one retry`).toBe(2);
    expect(sms[1]!.message.deliveryId, "deliveryId of the sms retry: the same delivery, the same id").toEqual(sms[0]!.message.deliveryId);
    expect(sms[1]!.message.deliveryId, "deliveryId of the sms retry, vs getDeliveries()").toEqual(byChannel.sms!.deliveryId);
  },
);

graded(
  "retries.backoff-schedule",
  {
    points: 5,
    timeoutMs: 30_000,
    hint: "After attempt n fails, schedule attempt n+1 at failure time + min(maxMs, baseMs * 2^(n-1)), and wake the worker at that time (a timer to the next due time), neither earlier nor much later.",
  },
  async (t) => {
    // Three gaps: baseMs, twice baseMs, then the cap. Each delay is larger than the late
    // tolerance, so a schedule off by 2x either way, or uncapped, misses at least one gap.
    const backoff = { baseMs: 400, maxMs: 800 };
    const { service, providers, startWorker } = await startService(t, { backoff, maxAttempts: 4 });
    providers.behave((_message, nth) => (nth <= 3 ? { fail: `provider unavailable (attempt ${nth})` } : "ok"));
    startWorker();
    await withTimingRetries(async () => {
      // The worker shares this process: a stall of it over half the late tolerance proves nothing about the schedule.
      const stalls = watchStalls(lateToleranceMs / 2);
      try {
        const { notificationId } = await service.enqueue(notification({ channels: ["email"] }));
        const byChannel = await settled(service, notificationId, 8000, "the email delivery failing 3 times, then succeeding");
        expect(byChannel.email, "the email delivery after 3 failures and a success (maxAttempts 4)").toMatchObject({ status: "sent", attempts: 4 });
        const sends = providers.sendsTo("email").filter((send) => send.message.notificationId === notificationId);
        expect(sends.length, `email sends (${providers.describe()})`).toBe(4);
        const expected = [400, 800, 800];
        const gaps = expected.map((_, n) => Math.round(sends[n + 1]!.startedAt - sends[n]!.settledAt!));
        const schedule = `gaps between each failure and the next attempt: ${JSON.stringify(gaps)} ms; expected ${JSON.stringify(expected)} (baseMs 400, maxMs 800), each at most ${lateToleranceMs} ms late`;
        stalls.judge("the retries", () => {
          expected.forEach((delay, n) => {
            expect(gaps[n]!, `${schedule}. Attempt ${n + 2} came ${delay - gaps[n]!} ms early`).toBeGreaterThanOrEqual(delay - earlyToleranceMs);
            expect(gaps[n]!, `${schedule}. Attempt ${n + 2} came ${gaps[n]! - delay} ms late`).toBeLessThanOrEqual(delay + lateToleranceMs);
          });
        });
      } finally {
        stalls.stop();
      }
    });
  },
);
