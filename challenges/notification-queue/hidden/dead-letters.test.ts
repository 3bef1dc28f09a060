import { expect } from "vitest";
import { graded, sleep } from "../../../harness/testing/index.ts";
import { notification, settled, showDeliveries, startService, untilStatus } from "./queue.ts";

/** After a delivery is dead, this is long enough for a wrong extra attempt to show: several backoffs (50-200 ms) plus a pickup. */
const quietMs = 400;

graded(
  "dead-letters.after-max-attempts",
  { points: 3, timeoutMs: 6000, hint: "When attempt maxAttempts fails, mark the delivery dead with the error's message as lastError, and stop retrying it." },
  async (t) => {
    const { service, providers, startWorker } = await startService(t, { maxAttempts: 3 });
    // The first email attempt fails only once push is stored as sent, so a retry of the whole notification cannot slip through.
    providers.behave((message, nth) => (message.channel === "email" ? (nth === 1 ? "hang" : { fail: `mailbox unavailable (attempt ${nth})` }) : "ok"));
    const { notificationId } = await service.enqueue(notification({ channels: ["email", "push"] }));
    const push = (await service.getDeliveries(notificationId)).find((d) => d.channel === "push")!;
    startWorker();
    const [held] = await providers.waitForSends(1, "the first email attempt", 3000, (s) => s.channel === "email");
    await untilStatus(service, notificationId, push.deliveryId, "sent", 3000, "the push delivery, while the first email attempt is still in flight (worker concurrency 4)");
    providers.release(held!, { fail: "mailbox unavailable (attempt 1)" });
    const byChannel = await settled(service, notificationId, 4000, "email failing every time (maxAttempts 3)");
    expect(byChannel.email, `the email delivery after 3 failed attempts: ${JSON.stringify(byChannel.email)}`).toMatchObject({ status: "dead", attempts: 3 });
    expect(byChannel.email!.lastError, "lastError of the dead email delivery: the message of the last failure").toContain("mailbox unavailable (attempt 3)");
    expect(byChannel.push, "the push delivery of the same notification, which succeeded").toMatchObject({ status: "sent", attempts: 1 });
    await sleep(quietMs);
    expect(providers.sendsTo("email").length, `email sends ${quietMs} ms after it was dead (${providers.describe()})`).toBe(3);
    const dead = await service.listDeadLetters();
    expect(dead.map((d) => d.deliveryId), `listDeadLetters() = ${showDeliveries(dead)}: the dead email delivery only`).toEqual([byChannel.email!.deliveryId]);
    expect(dead[0], "the dead letter as listDeadLetters() shows it").toMatchObject({ channel: "email", status: "dead", attempts: 3 });
    expect(dead[0]!.lastError, "lastError in listDeadLetters()").toContain("mailbox unavailable (attempt 3)");
  },
);

graded(
  "dead-letters.permanent-error",
  { points: 3, timeoutMs: 6000, hint: "A provider that throws your module's PermanentError means retrying cannot help: dead at once (check error instanceof PermanentError before scheduling a retry)." },
  async (t) => {
    const { service, providers, startWorker } = await startService(t, { maxAttempts: 5 });
    providers.behave((message) => (message.channel === "sms" ? { permanent: "invalid phone number +1 555 0100" } : "ok"));
    const { notificationId } = await service.enqueue(notification({ channels: ["sms", "email"] }));
    startWorker();
    const byChannel = await settled(service, notificationId, 3000);
    expect(byChannel.sms, `the sms delivery whose provider threw PermanentError: ${JSON.stringify(byChannel.sms)}`).toMatchObject({ status: "dead", attempts: 1 });
    expect(byChannel.sms!.lastError, "lastError of the sms delivery").toContain("invalid phone number");
    expect(byChannel.email?.status, "the email delivery of the same notification").toBe("sent");
    await sleep(quietMs);
    expect(providers.sendsTo("sms").length, `sms sends (${providers.describe()}): a PermanentError is never retried, even with maxAttempts 5`).toBe(1);
    const dead = await service.listDeadLetters();
    expect(dead.map((d) => d.deliveryId), `listDeadLetters() = ${showDeliveries(dead)}`).toEqual([byChannel.sms!.deliveryId]);
  },
);

graded(
  "dead-letters.retry-one-more-round",
  {
    points: 4,
    timeoutMs: 8000,
    hint: "retryDeadLetter makes the delivery pending and due now, with exactly one more attempt allowed (attempts + 1), the same deliveryId; a new failure makes it dead again.",
  },
  async (t) => {
    const { service, providers, startWorker } = await startService(t, { maxAttempts: 2 });
    let healthy = false;
    providers.behave((_message, nth) => (healthy ? "ok" : { fail: `connection reset (attempt ${nth})` }));
    const { notificationId } = await service.enqueue(notification({ channels: ["push"] }));
    startWorker();
    const first = (await settled(service, notificationId, 3000)).push!;
    expect(first, "the push delivery after 2 failed attempts (maxAttempts 2)").toMatchObject({ status: "dead", attempts: 2 });

    await service.retryDeadLetter(first.deliveryId);
    const again = await untilStatus(service, notificationId, first.deliveryId, "dead", 3000, "after retryDeadLetter() and one more failure").catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}; sends: ${providers.describe()}`);
    });
    expect(providers.sends.length, `sends after retryDeadLetter() and a failure (${providers.describe()}): 2 before, exactly 1 more`).toBe(3);
    expect(again, `the delivery after the extra round failed: ${JSON.stringify(again)}`).toMatchObject({ status: "dead", attempts: 3 });
    expect(again.lastError, "lastError after the extra round").toContain("connection reset (attempt 3)");
    await sleep(quietMs);
    expect(providers.sends.length, `sends ${quietMs} ms later (${providers.describe()}): one more round is one attempt`).toBe(3);
    expect(providers.sends[2]!.message.deliveryId, "deliveryId of the extra attempt").toEqual(first.deliveryId);

    healthy = true;
    await service.retryDeadLetter(first.deliveryId);
    const sent = await untilStatus(service, notificationId, first.deliveryId, "sent", 3000, "after a second retryDeadLetter() with the provider healthy again");
    expect(sent.attempts, "attempts after 2 failures, 1 extra failure and 1 extra success").toBe(4);
    const dead = await service.listDeadLetters();
    expect(dead.map((d) => d.deliveryId), `listDeadLetters() once the delivery was sent = ${showDeliveries(dead)}`).toEqual([]);
  },
);
