import { expect } from "vitest";
import { eventually, graded, sleep, sleepUntil } from "../../../harness/testing/index.ts";
import { Dependency, DependencyError, run, settle } from "./dependency.ts";
import { breaker, breakers, load } from "./implementation.ts";

/** Rule: an instance may act on what it learned from Redis for up to 100 ms; the suite leaves 150 ms more. */
const syncMs = 100;
const slackMs = 150;

graded(
  "fleet.shared-opening",
  { points: 4, hint: "Keep the window and the state in Redis, keyed by name, so every instance records into the same window and sees the same state." },
  async (t) => {
    const { BreakerOpenError } = await load(t);
    const fleet = await breakers(t, 3, { windowSize: 6, minimumCalls: 6, failureRate: 0.4 });
    const other = await breaker(t, { name: "shipping", windowSize: 6, minimumCalls: 6, failureRate: 0.4 });
    const dependency = new Dependency();
    await run(fleet[0]!.breaker, dependency, "fs");
    await run(fleet[1]!.breaker, dependency, "fs");
    await run(fleet[2]!.breaker, dependency, "f");
    expect(await fleet[0]!.breaker.state(), "5 outcomes recorded across 3 instances (minimumCalls 6)").toBe("closed");
    await run(fleet[2]!.breaker, dependency, "s");
    const openedBy = performance.now();
    await sleepUntil(openedBy + syncMs + slackMs);
    const before = dependency.invocations;
    for (const [index, { breaker: b }] of fleet.entries()) {
      const result = await settle(b.exec(dependency.ok()));
      expect(result.error, `instance ${index + 1}'s call ${syncMs + slackMs} ms after 3 failures in 6 calls across the fleet opened the breaker (failureRate 0.4)`).toBeInstanceOf(BreakerOpenError);
      expect(await b.state(), `instance ${index + 1}'s state()`).toBe("open");
    }
    expect(dependency.invocations, "fn calls through the open breaker").toBe(before);
    expect(await other.breaker.exec(dependency.ok("shipped")), "a breaker with another name is independent").toBe("shipped");
  },
);

graded(
  "fleet.probes-across-fleet",
  { points: 4, hint: "halfOpenPermits bounds the probes of the whole fleet: take permits in Redis, in the same script that checks the state." },
  async (t) => {
    const { BreakerOpenError } = await load(t);
    const openMs = 200;
    const fleet = await breakers(t, 3, { windowSize: 2, minimumCalls: 2, failureRate: 0.9, openMs, halfOpenPermits: 2, halfOpenSuccesses: 2 });
    const dependency = new Dependency();
    await run(fleet[0]!.breaker, dependency, "f");
    await run(fleet[1]!.breaker, dependency, "f");
    await sleepUntil(performance.now() + openMs + syncMs + slackMs);
    const before = dependency.invocations;
    const calls = Array.from({ length: 12 }, () => dependency.held());
    const settled: { value?: string; error?: unknown }[] = [];
    const pending = calls.map((call, index) => settle(fleet[index % 3]!.breaker.exec(call.fn)).then((result) => (settled.push(result), result)));
    await eventually(async () => expect(settled.length + dependency.invocations - before).toBe(12), { timeoutMs: 1500 }).catch(() => {});
    expect(dependency.invocations - before, "probes let through out of 12 concurrent calls over 3 instances (halfOpenPermits 2 for the fleet)").toBe(2);
    expect(settled.filter((result) => result.error instanceof BreakerOpenError).length, "calls refused with BreakerOpenError").toBe(10);
    for (const call of calls) call.succeed();
    await Promise.all(pending);
    await sleep(syncMs + slackMs);
    for (const [index, { breaker: b }] of fleet.entries()) {
      expect(await b.exec(dependency.ok("closed again")), `instance ${index + 1}'s call after 2 probes succeeded`).toBe("closed again");
    }
  },
);

graded(
  "fleet.atomic-outcomes",
  { points: 4, hint: "Reading the window, adding an outcome and writing it back in separate round trips loses outcomes when instances record at once: do it in one script." },
  async (t) => {
    const { BreakerOpenError } = await load(t);
    const fleet = await breakers(t, 5, { windowSize: 20, minimumCalls: 20, failureRate: 0.9 });
    const [observer] = await breakers(t, 1, { windowSize: 20, minimumCalls: 20, failureRate: 0.9 });
    const dependency = new Dependency();
    const calls = Array.from({ length: 20 }, () => dependency.held());
    const pending = calls.map((call, index) => settle(fleet[index % 5]!.breaker.exec(call.fn)));
    await Promise.all(calls.map((call) => call.invoked));
    for (const call of calls) call.fail(new DependencyError("down"));
    await Promise.all(pending);
    expect(await observer!.breaker.state(), "another instance's state() after 20 failures recorded at once by 5 instances (windowSize and minimumCalls 20, failureRate 0.9)").toBe("open");
    const result = await settle(observer!.breaker.exec(dependency.ok()));
    expect(result.error, "another instance's call").toBeInstanceOf(BreakerOpenError);
  },
);
