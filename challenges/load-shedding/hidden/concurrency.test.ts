import express from "express";
import { expect } from "vitest";
import { getsPerSecond } from "../../../harness/bench/throughput/http-load.ts";
import { graded, sleep, throughputComparison } from "../../../harness/testing/index.ts";
import type { AdmissionModule } from "./implementation.ts";
import { expectServed, serve } from "./service.ts";

const wide = { maxQueue: 20, maxQueueWaitMs: 10_000, retryAfterSeconds: 1 };

graded(
  "concurrency.never-more-than-max",
  { points: 3, timeoutMs: 10_000, hint: "Take a slot when you call next() and give it back when the response is over (res \"close\"); a request that finds no slot waits." },
  async (t) => {
    const service = await serve(t, { maxConcurrent: 3, ...wide });
    const calls = Array.from({ length: 8 }, (_, i) => service.send(`r${i}`));
    await service.untilEntered(3, "8 requests at once with maxConcurrent 3");
    await service.untilQueued(5, "8 requests at once with maxConcurrent 3");
    await sleep(50);
    expect(service.entered.length, "handlers started while the first 3 are held").toBe(3);
    expect(service.admission.inflight(), "inflight() while 3 run and 5 wait").toBe(3);
    for (let done = 0; done < 5; done++) {
      service.release(service.entered[done]!);
      await service.untilEntered(4 + done, `after ${done + 1} response(s) finished`);
      await sleep(10);
      expect(service.entered.length, `handlers started after ${done + 1} response(s) finished: one more per freed slot`).toBe(4 + done);
    }
    service.releaseAll();
    for (const call of calls) expectServed(await call.reply, `request ${call.id}`);
    expect(service.peak(), "most handlers running at once").toBe(3);
    await service.untilInflight(0, "after every response");
    expect(service.admission.queued(), "queued() after every response").toBe(0);
  },
);

graded(
  "concurrency.arrival-order",
  { points: 2, timeoutMs: 10_000, hint: "Waiting requests get slots in the order they arrived (FIFO): push to the tail, take from the head." },
  async (t) => {
    const service = await serve(t, { maxConcurrent: 1, ...wide });
    service.send("holder");
    await service.untilEntered(1, "the first request");
    const order = ["a", "b", "c", "d", "e"];
    for (const [i, id] of order.entries()) {
      service.send(id);
      await service.untilQueued(i + 1, `after queueing ${order.slice(0, i + 1).join(", ")}`);
    }
    for (let i = 0; i < order.length; i++) {
      service.release(service.entered[i]!);
      await service.untilEntered(i + 2, `after ${i + 1} response(s)`);
    }
    expect(service.entered.slice(1), "order in which the waiting requests reached the handler").toEqual(order);
  },
);

graded(
  "concurrency.counters",
  { points: 1, timeoutMs: 10_000, hint: "inflight() counts requests let through whose slot is not free yet, queued() those waiting, limit() is maxConcurrent unless adaptive." },
  async (t) => {
    const service = await serve(t, { maxConcurrent: 2, ...wide });
    expect([service.admission.inflight(), service.admission.queued(), service.admission.limit()], "[inflight(), queued(), limit()] before any request").toEqual([0, 0, 2]);
    const calls = ["a", "b", "c"].map((id) => service.send(id));
    await service.untilEntered(2, "3 requests, maxConcurrent 2");
    await service.untilQueued(1, "3 requests, maxConcurrent 2");
    expect([service.admission.inflight(), service.admission.limit()], "[inflight(), limit()] with 2 running and 1 waiting").toEqual([2, 2]);
    service.releaseAll();
    await service.untilEntered(3, "after releasing the first two");
    service.releaseAll();
    for (const call of calls) expectServed(await call.reply, `request ${call.id}`);
    await service.untilInflight(0, "after every response");
    expect(service.admission.queued(), "queued() after every response").toBe(0);
  },
);

let warmedUp = false;

throughputComparison<AdmissionModule>("concurrency", { name: "GET through the middleware (limit 8, 16 clients)", unit: "requests/s" }, async (impl) => {
  const served = (middleware?: express.RequestHandler) => {
    const app = express();
    if (middleware) app.use(middleware);
    app.get("/work", (_req, res) => {
      res.json({ ok: true });
    });
    return app;
  };
  // Node's HTTP stack runs much slower until the JIT has seen a few thousand requests: warm it up before the first measurement.
  if (!warmedUp) await getsPerSecond(served(), "/work", { total: 4000, concurrency: 16, expectStatus: 200 });
  warmedUp = true;
  const admission = impl.createAdmission({ maxConcurrent: 8, maxQueue: 16, maxQueueWaitMs: 10_000, retryAfterSeconds: 1 });
  return getsPerSecond(served(admission.middleware), "/work", { total: 3000, concurrency: 16, expectStatus: 200 });
});
