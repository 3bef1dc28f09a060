import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { expectOverloaded, expectServed, serve, within } from "./service.ts";

graded(
  "shedding.full-queue-answers-503",
  { points: 3, timeoutMs: 10_000, hint: "When maxQueue requests already wait, answer the newcomer 503 at once, with Retry-After: retryAfterSeconds; never queue it or call next()." },
  async (t) => {
    // The queue wait is long: a 503 that arrives while the gates are held was not a timeout.
    const service = await serve(t, { maxConcurrent: 2, maxQueue: 2, maxQueueWaitMs: 10_000, retryAfterSeconds: 7 });
    const admitted = ["a", "b", "c", "d"].map((id) => service.send(id));
    await service.untilEntered(2, "2 running");
    await service.untilQueued(2, "2 running, 2 waiting");
    const extra = ["x", "y", "z"].map((id) => service.send(id));
    for (const call of extra) {
      const reply = await within(call.reply, 2000, `request ${call.id} with 2 running and the queue (2) full`);
      expectOverloaded(reply, 7, `request ${call.id} with 2 running and the queue (2) full`);
    }
    expect(service.admission.queued(), "queued() after the three 503s").toBe(2);
    service.releaseAll();
    await service.untilEntered(4, "after the first two finished");
    service.releaseAll();
    for (const call of admitted) expectServed(await call.reply, `queued request ${call.id}`);
    expect(service.entered, "handlers that ran").toEqual(["a", "b", "c", "d"]);
  },
);

graded(
  "shedding.no-queue",
  { points: 2, timeoutMs: 10_000, hint: "maxQueue 0 means nobody waits: with every slot taken, the answer is an immediate 503." },
  async (t) => {
    const service = await serve(t, { maxConcurrent: 1, maxQueue: 0, maxQueueWaitMs: 10_000, retryAfterSeconds: 2 });
    const first = service.send("first");
    await service.untilEntered(1, "the first request");
    const second = service.send("second");
    expectOverloaded(await within(second.reply, 2000, "a second request with maxQueue 0"), 2, "a second request with maxQueue 0");
    expect(service.admission.queued(), "queued() with maxQueue 0").toBe(0);
    service.releaseAll();
    expectServed(await first.reply, "the first request");
    await service.untilInflight(0, "after the first response");
    const third = service.send("third");
    await service.untilEntered(2, "a request after the slot was freed");
    service.releaseAll();
    expectServed(await third.reply, "a request after the slot was freed");
    expect(service.entered, "handlers that ran").toEqual(["first", "third"]);
  },
);
