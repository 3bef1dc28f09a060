import { expect } from "vitest";
import { eventually, graded, sentBefore, sleepUntil, withTimingRetries } from "../../../harness/testing/index.ts";
import { Dependency, run, settle } from "./dependency.ts";
import { breaker, load } from "./implementation.ts";

const openMs = 200;
/** Past the end of a correct open period that began before `openedBy` (performance.now()). */
const afterOpen = (openedBy: number) => sleepUntil(openedBy + openMs + 100);

graded(
  "half-open.bounded-probes",
  { points: 4, hint: "Once openMs is over, hand out at most halfOpenPermits probes at a time (count them in Redis, atomically with the state), and reject the rest at once." },
  async (t) => {
    const { BreakerOpenError } = await load(t);
    const { breaker: b } = await breaker(t, { windowSize: 2, minimumCalls: 2, failureRate: 0.9, openMs, halfOpenPermits: 2, halfOpenSuccesses: 2 });
    const dependency = new Dependency();
    await run(b, dependency, "ff");
    await afterOpen(performance.now());
    const before = dependency.invocations;
    const calls = Array.from({ length: 10 }, () => dependency.held());
    const settled: { value?: string; error?: unknown }[] = [];
    const pending = calls.map((call) => settle(b.exec(call.fn)).then((result) => (settled.push(result), result)));
    // Every call is either refused or running fn; wait until all ten are one or the other.
    await eventually(async () => expect(settled.length + dependency.invocations - before, "calls refused or let through, of 10").toBe(10), { timeoutMs: 1500 }).catch(() => {});
    expect(dependency.invocations - before, "probes let through out of 10 concurrent calls (halfOpenPermits 2)").toBe(2);
    expect(settled.filter((result) => result.error instanceof BreakerOpenError).length, "calls refused with BreakerOpenError at once, while the probes run").toBe(8);
    expect(await b.state(), "state() with two probes in flight").toBe("half_open");
    for (const call of calls) call.succeed("probe ok");
    await Promise.all(pending);
    expect(await b.state(), "state() after halfOpenSuccesses (2) probes succeeded").toBe("closed");
    expect(await b.exec(dependency.ok("after")), "a call after the breaker closed").toBe("after");
  },
);

graded(
  "half-open.closes-after-successes",
  { points: 3, hint: "Count successful probes; close after halfOpenSuccesses of them, with an empty window (the failures that opened the breaker are history)." },
  async (t) => {
    const { breaker: b } = await breaker(t, { windowSize: 4, minimumCalls: 2, failureRate: 0.5, openMs, halfOpenPermits: 1, halfOpenSuccesses: 3 });
    const dependency = new Dependency();
    await run(b, dependency, "ff");
    await afterOpen(performance.now());
    await run(b, dependency, "s");
    expect(await b.state(), "after 1 successful probe of 3 needed").toBe("half_open");
    await run(b, dependency, "s");
    expect(await b.state(), "after 2 successful probes of 3 needed").toBe("half_open");
    await run(b, dependency, "s");
    expect(await b.state(), "after 3 successful probes (halfOpenSuccesses 3)").toBe("closed");
    await run(b, dependency, "f");
    expect(await b.state(), "one failure after closing: a fresh window holds 1 outcome (minimumCalls 2)").toBe("closed");
    const before = dependency.invocations;
    await run(b, dependency, "s");
    expect(dependency.invocations, "the next call reaches the dependency").toBe(before + 1);
  },
);

graded(
  "half-open.failed-probe-reopens",
  { points: 3, timeoutMs: 10_000, hint: "A failed probe reopens the breaker at once, for a full openMs from that failure." },
  async (t) => {
    const { BreakerOpenError } = await load(t);
    const reopenMs = 400;
    await withTimingRetries(async (attempt) => {
      const { breaker: b } = await breaker(t, { name: `reopen-${attempt}`, windowSize: 2, minimumCalls: 2, failureRate: 0.9, openMs: reopenMs, halfOpenPermits: 1, halfOpenSuccesses: 1 });
      const dependency = new Dependency();
      await run(b, dependency, "ff");
      await sleepUntil(performance.now() + reopenMs + 100);
      const probeFailedAt = { at: 0 };
      const probe = await settle(
        b.exec(async () => {
          dependency.invocations++;
          probeFailedAt.at = performance.now();
          throw new Error("probe failed");
        }),
      );
      const reopenedBy = performance.now();
      expect((probe.error as Error)?.message, "the failed probe's exec() rejects with fn's error").toBe("probe failed");
      const next = await settle(b.exec(dependency.ok()));
      expect(next.error, "a call right after a failed probe").toBeInstanceOf(BreakerOpenError);
      await sleepUntil(probeFailedAt.at + reopenMs * 0.75);
      const early = await settle(b.exec(dependency.ok()));
      sentBefore(performance.now(), probeFailedAt.at + reopenMs, "the call at 0.75 × openMs after the failed probe");
      expect(early.error, `a call ${reopenMs * 0.75} ms after a failed probe (openMs ${reopenMs}): the timer restarts`).toBeInstanceOf(BreakerOpenError);
      await sleepUntil(reopenedBy + reopenMs + 150);
      const late = await settle(b.exec(dependency.ok("probe 2")));
      expect(late.value ?? late.error, `a call ${reopenMs + 150} ms after the failed probe`).toBe("probe 2");
    });
  },
);
