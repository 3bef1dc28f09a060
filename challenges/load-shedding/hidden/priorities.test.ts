import type { Request } from "express";
import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import type { Priority } from "../src/index.ts";
import { expectOverloaded, expectServed, serve, within, type Call } from "./service.ts";

/** The test's classifier: the x-priority header (a real service would trust only its own signals). */
const byHeader = (req: Request) => (req.get("x-priority") ?? "normal") as Priority;
const settings = { maxConcurrent: 1, maxQueueWaitMs: 10_000, retryAfterSeconds: 4, priority: byHeader };

graded(
  "priorities.critical-first",
  { points: 3, timeoutMs: 10_000, hint: "A free slot goes to the longest-waiting request of the highest class present: critical, then normal, then sheddable." },
  async (t) => {
    const service = await serve(t, { ...settings, maxQueue: 10 });
    service.send("holder");
    await service.untilEntered(1, "the request holding the only slot");
    const arrivals: [string, string][] = [
      ["s1", "sheddable"],
      ["n1", "normal"],
      ["c1", "critical"],
      ["x1", "unknown-class"],
      ["n2", "normal"],
      ["c2", "critical"],
      ["s2", "sheddable"],
    ];
    const calls: Call[] = [];
    for (const [i, [id, priority]] of arrivals.entries()) {
      calls.push(service.send(id, { priority }));
      await service.untilQueued(i + 1, `after queueing ${arrivals.slice(0, i + 1).map(([a, p]) => `${a} (${p})`).join(", ")}`);
    }
    for (let i = 0; i < arrivals.length; i++) {
      service.release(service.entered[i]!);
      await service.untilEntered(i + 2, `after ${i + 1} response(s)`);
    }
    service.releaseAll();
    for (const call of calls) expectServed(await call.reply, `request ${call.id}`);
    expect(service.entered.slice(1), "order in which the waiting requests reached the handler (a class priority() does not know counts as normal)").toEqual(["c1", "c2", "n1", "x1", "n2", "s1", "s2"]);
  },
);

graded(
  "priorities.full-queue-evicts-lower",
  { points: 4, timeoutMs: 10_000, hint: "With the queue full, an arrival evicts a waiting request of a lower class (that one gets the 503) and takes its place; an arrival with nothing below it in the queue is shed itself." },
  async (t) => {
    const service = await serve(t, { ...settings, maxQueue: 2 });
    service.send("holder");
    await service.untilEntered(1, "the request holding the only slot");
    const s1 = service.send("s1", { priority: "sheddable" });
    await service.untilQueued(1, "s1 (sheddable) waiting");
    const n1 = service.send("n1", { priority: "normal" });
    await service.untilQueued(2, "s1 (sheddable) and n1 (normal) waiting: the queue (2) is full");

    const c1 = service.send("c1", { priority: "critical" });
    expectOverloaded(await within(s1.reply, 2000, "s1 (sheddable), when c1 (critical) arrived at a full queue"), 4, "s1 (sheddable), evicted when c1 (critical) arrived at a full queue");
    await service.untilQueued(2, "after c1 took s1's place");

    const s2 = service.send("s2", { priority: "sheddable" });
    expectOverloaded(await within(s2.reply, 2000, "s2 (sheddable) at a full queue of n1, c1"), 4, "s2 (sheddable) at a full queue holding n1 (normal) and c1 (critical)");
    const n2 = service.send("n2", { priority: "normal" });
    expectOverloaded(await within(n2.reply, 2000, "n2 (normal) at a full queue of n1, c1"), 4, "n2 (normal) at a full queue holding n1 (normal) and c1 (critical): nothing lower to evict");

    const c2 = service.send("c2", { priority: "critical" });
    expectOverloaded(await within(n1.reply, 2000, "n1 (normal), when c2 (critical) arrived at a full queue"), 4, "n1 (normal), evicted when c2 (critical) arrived at a full queue of n1, c1");
    await service.untilQueued(2, "after c2 took n1's place");
    const c3 = service.send("c3", { priority: "critical" });
    expectOverloaded(await within(c3.reply, 2000, "c3 (critical) at a full queue of c1, c2"), 4, "c3 (critical) at a queue full of critical requests");

    service.release("holder");
    await service.untilEntered(2, "after the holder finished");
    service.release(service.entered[1]!);
    await service.untilEntered(3, "after the next finished");
    service.releaseAll();
    for (const call of [c1, c2]) expectServed(await call.reply, `request ${call.id}`);
    expect(service.entered, "handlers that ran").toEqual(["holder", "c1", "c2"]);
  },
);
