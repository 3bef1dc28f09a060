import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { Dependency, DependencyError, run, settle } from "./dependency.ts";
import { breaker, load } from "./implementation.ts";

graded(
  "opening.passes-through",
  { points: 2, hint: "exec(fn) calls fn once with an AbortSignal, and settles exactly as fn did: the same value, or the same error object." },
  async (t) => {
    const { breaker: b } = await breaker(t);
    const dependency = new Dependency();
    expect(await b.exec(dependency.ok("paid")), "exec() of a function that resolves with \"paid\"").toBe("paid");
    const error = new DependencyError("card declined");
    const failed = await settle(b.exec(dependency.fail(error)));
    expect(failed.error, "exec() of a function that rejects: the very same error object").toBe(error);
    expect(dependency.invocations, "fn called once per exec()").toBe(2);
    expect(dependency.signals[0], "fn's argument").toBeInstanceOf(AbortSignal);
    expect(dependency.signals[0]!.aborted, "signal of a call that did not time out").toBe(false);
    expect(await b.state(), "state() after one failure in ten allowed").toBe("closed");
  },
);

graded(
  "opening.minimum-calls",
  { points: 3, hint: "Never open while the window holds fewer than minimumCalls outcomes, whatever their failure rate." },
  async (t) => {
    const { BreakerOpenError } = await load(t);
    const { breaker: b } = await breaker(t, { windowSize: 10, minimumCalls: 5, failureRate: 0.5 });
    const dependency = new Dependency();
    await run(b, dependency, "ffff");
    expect(await b.state(), "state() after 4 failures with minimumCalls 5").toBe("closed");
    await run(b, dependency, "f");
    expect(dependency.invocations, "the 5th call still reached the dependency").toBe(5);
    expect(await b.state(), "state() after 5 failures in 5 calls (minimumCalls 5, failureRate 0.5)").toBe("open");
    const rejected = await settle(b.exec(dependency.ok()));
    expect(rejected.error, "the call after the breaker opened").toBeInstanceOf(BreakerOpenError);
    expect(dependency.invocations, "fn is not called while open").toBe(5);
  },
);

graded(
  "opening.at-threshold",
  { points: 3, hint: "Open when failures / calls >= failureRate: at the threshold, not only above it." },
  async (t) => {
    const options = { windowSize: 10, minimumCalls: 10, failureRate: 0.5 };
    const dependency = new Dependency();
    const below = await breaker(t, { ...options, name: "below" });
    await run(below.breaker, dependency, "ssssssffff");
    expect(await below.breaker.state(), "4 failures in 10 calls, failureRate 0.5").toBe("closed");
    const at = await breaker(t, { ...options, name: "at" });
    await run(at.breaker, dependency, "sssssffff");
    expect(await at.breaker.state(), "4 failures in 9 calls, minimumCalls 10").toBe("closed");
    await run(at.breaker, dependency, "f");
    expect(await at.breaker.state(), "5 failures in 10 calls, failureRate 0.5").toBe("open");
    const seventy = await breaker(t, { ...options, name: "seventy", failureRate: 0.7 });
    await run(seventy.breaker, dependency, "sssfffffff");
    expect(await seventy.breaker.state(), "7 failures in 10 calls, failureRate 0.7").toBe("open");
  },
);

graded(
  "opening.sliding-window",
  { points: 2, hint: "The window is the last windowSize outcomes: the oldest leaves as a new one comes in, and so does its failure." },
  async (t) => {
    const { breaker: b } = await breaker(t, { windowSize: 4, minimumCalls: 4, failureRate: 0.7 });
    const dependency = new Dependency();
    await run(b, dependency, "ffssssff");
    expect(await b.state(), "after f f s s s s f f with windowSize 4: the window is s s f f (2 of 4)").toBe("closed");
    await run(b, dependency, "f");
    expect(await b.state(), "after one more failure the window is s f f f (3 of 4, failureRate 0.7)").toBe("open");
  },
);
