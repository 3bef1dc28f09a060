import { expect } from "vitest";
import { graded, sleep } from "../../../harness/testing/index.ts";
import { expectServed, serve } from "./service.ts";

const settings = { maxQueueWaitMs: 10_000, retryAfterSeconds: 1 };

graded(
  "disconnects.queued-client-leaves",
  { points: 3, timeoutMs: 10_000, hint: "Listen for the response's \"close\" while a request waits: a client that left gives its place back at once, and its handler never runs." },
  async (t) => {
    const service = await serve(t, { maxConcurrent: 1, maxQueue: 1, ...settings });
    const holder = service.send("holder");
    await service.untilEntered(1, "the request holding the only slot");
    const quitter = service.send("quitter");
    await service.untilQueued(1, "a request waiting behind it");
    quitter.abort();
    await service.untilQueued(0, "after the waiting client disconnected");
    const next = service.send("next");
    // With the quitter's place given back, the queue (maxQueue 1) has room: "next" waits instead of a 503.
    await service.untilQueued(1, "a new request after the waiting client disconnected (the queue has room again)");
    service.release("holder");
    expectServed(await holder.reply, "the first request");
    await service.untilEntered(2, "after the first request finished");
    service.releaseAll();
    expectServed(await next.reply, "the request queued after the disconnect");
    await sleep(20);
    expect(service.entered, "handlers that ran: never the one whose client left").toEqual(["holder", "next"]);
  },
);

graded(
  "disconnects.running-client-frees-slot",
  { points: 3, timeoutMs: 10_000, hint: "res \"finish\" never fires when the connection dies; res \"close\" does. Free the slot on \"close\"." },
  async (t) => {
    const service = await serve(t, { maxConcurrent: 1, maxQueue: 1, ...settings });
    const quitter = service.send("quitter");
    await service.untilEntered(1, "a request in its handler");
    const waiting = service.send("waiting");
    await service.untilQueued(1, "a request waiting behind it");
    quitter.abort();
    // The quitter's handler is still held: the slot is free because its client left.
    await service.untilEntered(2, "after the running request's client disconnected");
    expect(service.admission.inflight(), "inflight() with one request in its handler").toBe(1);
    service.releaseAll();
    expectServed(await waiting.reply, "the request that waited");
    await service.untilInflight(0, "after every request ended");
  },
);

graded(
  "disconnects.failures-free-slot-once",
  { points: 3, timeoutMs: 10_000, hint: "Free the slot once, whatever ended the response: a guard flag, or one listener on \"close\" (never \"finish\" and \"close\" both)." },
  async (t) => {
    const service = await serve(t, { maxConcurrent: 2, maxQueue: 10, ...settings });
    // Handlers that call next(err), throw, and destroy the socket: two of each, one after another.
    for (const path of ["/throw", "/sync-throw", "/destroy", "/throw", "/sync-throw", "/destroy"]) {
      const id = `${path.slice(1)}-${service.entered.length}`;
      const call = service.send(id, { path });
      service.release(id);
      const reply = await call.reply;
      if (path !== "/destroy") expect(reply?.status, `GET ${path}/${id}: a failing handler`).toBe(500);
      await service.untilInflight(0, `after GET ${path}/${id} failed`);
    }
    await sleep(20);
    expect(service.admission.inflight(), "inflight() after six failed requests").toBe(0);
    // Exactly maxConcurrent slots are left: not fewer (a leak), not more (freed twice).
    const calls = ["a", "b", "c", "d"].map((id) => service.send(id));
    await service.untilEntered(8, "4 requests after the failures, maxConcurrent 2");
    await service.untilQueued(2, "4 requests after the failures, maxConcurrent 2");
    await sleep(30);
    expect(service.running(), "handlers running at once after the failures (maxConcurrent 2)").toBe(2);
    expect(service.admission.inflight(), "inflight() with 2 running").toBe(2);
    service.releaseAll();
    await service.untilEntered(10, "after the first two finished");
    service.releaseAll();
    for (const call of calls) expectServed(await call.reply, `request ${call.id}`);
    await service.untilInflight(0, "after every request ended");
  },
);
