import { expect } from "vitest";
import { graded, InconclusiveTiming, sleep, sleepUntil, watchStalls, withTimingRetries } from "../../../harness/testing/index.ts";
import { expectOverloaded, expectServed, serve, within, type Call } from "./service.ts";

const waitMs = 300;
/** README: a queued request is answered no earlier than maxQueueWaitMs - 25 ms and no later than maxQueueWaitMs + 150 ms. */
const earlyToleranceMs = 25;
const lateToleranceMs = 150;

graded(
  "deadlines.answered-at-deadline",
  {
    points: 4,
    timeoutMs: 8000,
    hint: "Each waiting request needs its own deadline, maxQueueWaitMs after it arrived: a timer per request, or one timer re-armed for the earliest deadline. A sweep every maxQueueWaitMs answers some requests too early and others up to twice too late; a check only when a slot frees answers nobody while the handlers are stuck.",
  },
  async (t) =>
    withTimingRetries(async (attempt) => {
      const stalls = watchStalls(50);
      try {
        const service = await serve(t, { maxConcurrent: 1, maxQueue: 5, maxQueueWaitMs: waitMs, retryAfterSeconds: 3 });
        service.send(`holder-${attempt}`);
        await service.untilEntered(1, "the request holding the only slot");
        // Three arrivals 100 ms apart, while the only slot stays taken throughout.
        const start = performance.now();
        const calls: Call[] = [];
        for (let i = 0; i < 3; i++) {
          await sleepUntil(start + i * 100);
          calls.push(service.send(`q${i}`));
          await service.untilQueued(i + 1, `after queueing ${i + 1} request(s)`).catch(async (error: unknown) => {
            // A starved machine can queue a later request only after the first one's deadline: the first answered then, on time, proves nothing against the code.
            const first = await Promise.race([calls[0]!.reply, new Promise<"pending">((resolve) => setImmediate(() => resolve("pending")))]);
            if (i > 0 && first !== "pending" && first?.status === 503 && first.elapsedMs >= waitMs - earlyToleranceMs) {
              throw new InconclusiveTiming(`The machine stalled: request q${i} was not queued before q0's deadline had passed. Grade again on a quieter machine.`, { cause: error });
            }
            throw error;
          });
        }
        const replies = await Promise.all(calls.map((call) => within(call.reply, waitMs + lateToleranceMs + 1000, `request ${call.id}, queued behind a handler that never finishes`)));
        stalls.judge("the queue-deadline scenario", () => {
          for (const [i, reply] of replies.entries()) {
            const what = `request q${i}, queued ${i * 100} ms after the first, maxQueueWaitMs ${waitMs}`;
            expectOverloaded(reply, 3, what);
            expect(reply!.elapsedMs, `${what}: ms from sending it to its 503 (at least ${waitMs - earlyToleranceMs})`).toBeGreaterThanOrEqual(waitMs - earlyToleranceMs);
            expect(reply!.elapsedMs, `${what}: ms from sending it to its 503 (at most ${waitMs + lateToleranceMs})`).toBeLessThanOrEqual(waitMs + lateToleranceMs);
          }
        });
        expect(service.entered, "handlers that ran").toEqual([`holder-${attempt}`]);
      } finally {
        stalls.stop();
      }
    }),
);

graded(
  "deadlines.never-runs-later",
  { points: 3, timeoutMs: 10_000, hint: "When a request's deadline passes, take it out of the queue before answering it: a 503'd request must never get a slot later." },
  async (t) => {
    const service = await serve(t, { maxConcurrent: 1, maxQueue: 2, maxQueueWaitMs: 150, retryAfterSeconds: 1 });
    service.send("holder");
    await service.untilEntered(1, "the request holding the only slot");
    const calls = ["a", "b"].map((id) => service.send(id));
    for (const call of calls) expectOverloaded(await within(call.reply, 2500, `request ${call.id} past its deadline`), 1, `request ${call.id} past its deadline`);
    await service.untilQueued(0, "after both waiting requests were answered 503");
    service.release("holder");
    await service.untilInflight(0, "after the only running request finished");
    const fresh = service.send("c");
    await service.untilEntered(2, "a new request once the slot is free");
    service.releaseAll();
    expectServed(await fresh.reply, "a new request once the slot is free");
    await sleep(20);
    expect(service.entered, "handlers that ran: never a request that was already answered 503").toEqual(["holder", "c"]);
  },
);

graded(
  "deadlines.admitted-in-time-runs",
  { points: 2, timeoutMs: 10_000, hint: "A request that got its slot before its deadline is no longer queued: cancel its timer, or it is answered 503 while its handler runs." },
  async (t) => {
    const service = await serve(t, { maxConcurrent: 1, maxQueue: 1, maxQueueWaitMs: waitMs, retryAfterSeconds: 1 });
    service.send("holder");
    await service.untilEntered(1, "the request holding the only slot");
    const waiting = service.send("waiting");
    await service.untilQueued(1, "a request behind it");
    service.release("holder");
    await service.untilEntered(2, "the waiting request, once the slot was freed");
    // Hold it in its handler well past the time its deadline would have been.
    await sleepUntil(waiting.sentAt + waitMs + 200);
    service.release("waiting");
    expectServed(await waiting.reply, `a request that waited less than maxQueueWaitMs, then ran ${waitMs + 200} ms after it arrived`);
  },
);
