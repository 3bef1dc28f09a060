import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, inject } from "vitest";
import { graded, sentBefore, sleep, spawnScript, withTimingRetries } from "../../../harness/testing/index.ts";
import type { Worker } from "../src/index.ts";
import { notification, startService, untilStatus } from "./queue.ts";

const victimScript = path.join(path.dirname(fileURLToPath(import.meta.url)), "crash-victim.ts");
/** The lease starts at the claim, shortly before the send starts; a claim-to-send gap up to this is tolerated. */
const claimToSendMs = 250;
/** How late after the lease the survivor may send: well below leaseMs, so a lease twice as long is caught. */
const recoveryLateMs = 400;
/** Date.now() has millisecond steps, and two processes read it. */
const clockStepMs = 3;

graded(
  "crash-recovery.killed-worker",
  {
    points: 5,
    timeoutMs: 30_000,
    hint: "A claim must be a lease: record when it expires (now + leaseMs) and let any worker claim a delivery whose lease has run out, as if it were due, no sooner. An idle worker must wake up when the lease expires.",
  },
  async (t) => {
    const leaseMs = 700;
    const { service, providers, startWorker, options } = await startService(t, { leaseMs });
    const runtime = inject("katas");
    let survivor: Worker | undefined;
    await withTimingRetries(async () => {
      // An earlier attempt's survivor has sent its delivery; it must not claim this one before the child does.
      await survivor?.stop();
      const { notificationId } = await service.enqueue(notification({ channels: ["email"] }));
      const [delivery] = await service.getDeliveries(notificationId);
      const victim = spawnScript(victimScript, {
        env: {
          KATAS_NQ_IMPL: runtime.implPath,
          KATAS_NQ_TARGETS: JSON.stringify(runtime.stages["crash-recovery"]),
          KATAS_NQ_OPTIONS: JSON.stringify(options),
        },
      });
      const started = await victim.waitForMessage<{ deliveryId: string; at: number }>(
        (m) => (m as { type?: string }).type === "send-started",
        "a send started by the worker in the child process (it has its own pool and Redis client, concurrency 1)",
        10_000,
      );
      expect(started.deliveryId, "deliveryId the worker in the child process started sending").toEqual(delivery!.deliveryId);
      const survivorStartedAt = Date.now();
      survivor = startWorker();
      await victim.kill();

      // The killed worker's lease began when it claimed: after it called startWorker(), and
      // (the tolerance above) at most claimToSendMs before its send started.
      const { at: workerStartingAt } = victim.messages.find((m) => (m as { type?: string }).type === "worker-starting") as { at: number };
      const earliest = Math.max(workerStartingAt + leaseMs, started.at + leaseMs - claimToSendMs);
      const [survivorSend] = await providers.waitForSends(
        1,
        `the survivor's send of the delivery the killed worker had claimed (leaseMs ${leaseMs})`,
        leaseMs + 2500,
        (s) => s.message.deliveryId === delivery!.deliveryId,
      );
      const sent = await untilStatus(service, notificationId, delivery!.deliveryId, "sent", 2000, "after the survivor's send");
      expect(sent.attempts, "attempts: the killed worker's and the survivor's").toBe(2);
      await sleep(300);
      expect(providers.sendsOf(delivery!.deliveryId).length, `sends by the survivor (${providers.describe()}): exactly one`).toBe(1);

      // A lease that ends early only shows if the survivor was up well before the lease could end.
      sentBefore(survivorStartedAt, earliest - 250, "the survivor's startWorker()");
      const after = survivorSend!.wallAt - started.at;
      const leaseEnd = earliest - started.at;
      const timeline = `the survivor sent ${after} ms after the killed worker's send started. That worker called startWorker() ${started.at - workerStartingAt} ms before its send, so its lease (${leaseMs} ms) ran until at least ${leaseEnd} ms after the send (claim-to-send tolerance ${claimToSendMs} ms), and the survivor may send up to ${recoveryLateMs} ms after the lease`;
      expect(after, `${timeline}. It sent before the lease had expired`).toBeGreaterThanOrEqual(leaseEnd - clockStepMs);
      expect(after, `${timeline}. It sent too long after the lease expired`).toBeLessThanOrEqual(leaseMs + recoveryLateMs);
    });
  },
);

graded(
  "crash-recovery.stale-ack",
  {
    points: 4,
    timeoutMs: 8000,
    hint: "Give every claim a fencing token (a counter bumped by each claim) and record a result only WHERE the token is still the one this attempt claimed with: a late result of an expired attempt must change nothing.",
  },
  async (t) => {
    const leaseMs = 400;
    const slow = await startService(t, { leaseMs, maxAttempts: 3 });
    const other = await startService(t, { leaseMs, maxAttempts: 3, providers: slow.providers, migrate: false });
    slow.providers.behave((_message, nth) => (nth === 1 ? "hang" : "ok"));
    const { notificationId } = await slow.service.enqueue(notification({ channels: ["sms"] }));
    slow.startWorker(1);
    const [stale] = await slow.providers.waitForSends(1, "attempt 1 (which hangs past the lease)", 3000);
    other.startWorker(1);
    await slow.providers.waitForSends(2, `attempt 2, by the other service once the lease (${leaseMs} ms) expired`, leaseMs + 3000);
    const sent = await untilStatus(slow.service, notificationId, stale!.message.deliveryId, "sent", 2000, "after attempt 2 succeeded");
    expect(sent.attempts, "attempts after attempt 2 succeeded").toBe(2);

    slow.providers.release(stale!, { fail: "socket hang up (attempt 1, reported late)" });
    await sleep(400); // the late failure's would-be retry: backoff 50 ms plus a pickup
    const [after] = await slow.service.getDeliveries(notificationId);
    expect(after, `the delivery after attempt 1 failed late, when attempt 2 had already been sent: ${JSON.stringify(after)}`).toMatchObject({ status: "sent", attempts: 2 });
    expect(slow.providers.sends.length, `sends (${slow.providers.describe()}): the late failure of a stale attempt must not schedule another`).toBe(2);
    expect(await slow.service.listDeadLetters(), "listDeadLetters()").toEqual([]);
  },
);

graded(
  "crash-recovery.graceful-stop",
  {
    points: 3,
    timeoutMs: 8000,
    hint: "stop() stops claiming at once, then waits for the sends already started and for their results to be stored before it resolves.",
  },
  async (t) => {
    const { service, providers, startWorker } = await startService(t);
    providers.behave((message) => (message.userId === "first" ? "hang" : "ok"));
    const inFlight = await service.enqueue(notification({ userId: "first", channels: ["email"] }));
    const worker = startWorker(2);
    const [send] = await providers.waitForSends(1, "the first send", 3000);
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    const later = await service.enqueue(notification({ userId: "later", channels: ["email"] }));
    await sleep(150);
    expect(stopped, "stop() resolved while a send it had started was still in flight (150 ms after stop(), send unfinished)").toBe(false);
    providers.release(send!, "ok");
    await Promise.race([stopping, sleep(3000)]);
    expect(stopped, "stop() resolved within 3 s of the in-flight send finishing").toBe(true);
    const [first] = await service.getDeliveries(inFlight.notificationId);
    expect(first, "the in-flight delivery when stop() resolved: its result stored").toMatchObject({ status: "sent", attempts: 1 });
    await sleep(300);
    expect(providers.sends.map((s) => s.message.userId), `sends after stop() (${providers.describe()}): a notification enqueued after stop() is not claimed`).toEqual(["first"]);
    const [waiting] = await service.getDeliveries(later.notificationId);
    expect(waiting, "the notification enqueued after stop()").toMatchObject({ status: "pending", attempts: 0 });
    startWorker();
    await untilStatus(service, later.notificationId, waiting!.deliveryId, "sent", 3000, "a new worker started after stop()");
    expect(providers.sends.map((s) => s.message.userId), "sends: nothing lost, nothing repeated").toEqual(["first", "later"]);
  },
);
