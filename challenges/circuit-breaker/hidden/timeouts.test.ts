import { expect } from "vitest";
import { graded, sleep, sleepUntil } from "../../../harness/testing/index.ts";
import { Dependency, run, settle, type HeldCall } from "./dependency.ts";
import { breaker, load } from "./implementation.ts";

/** Timers may fire a few ms early by performance.now(); a late settle leaves lateMs (the bookkeeping round trip and a loaded machine). */
const earlyMs = 5;
const lateMs = 300;

/**
 * Lets a held call time out, then settles fn (late) however exec() behaved, so that an
 * implementation that waits for fn fails hung-call, not every test here by its deadline.
 */
async function timeOut<T>(exec: Promise<T>, call: HeldCall, timeoutMs: number, settleLate: () => void) {
  const outcome = settle(exec);
  const { at } = await call.invoked;
  await Promise.race([outcome, sleepUntil(at + timeoutMs + lateMs)]);
  settleLate();
  return outcome;
}

graded(
  "timeouts.hung-call",
  { points: 4, hint: "Start a timer of timeoutMs when you call fn; when it fires, abort fn's signal and reject at once with CallTimeoutError, without waiting for fn." },
  async (t) => {
    const { CallTimeoutError } = await load(t);
    const timeoutMs = 400;
    const { breaker: b } = await breaker(t, { timeoutMs });
    const dependency = new Dependency();
    const call = dependency.held();
    let settledAt = 0;
    const outcome = settle(b.exec(call.fn)).then((result) => ((settledAt = performance.now()), result));
    const { at: invokedAt, signal } = await call.invoked;
    let abortedAt = 0;
    signal.addEventListener("abort", () => (abortedAt = performance.now()));
    const latest = timeoutMs + lateMs;
    const result = await Promise.race([outcome, sleepUntil(invokedAt + latest + 100).then(() => undefined)]);
    call.succeed("too late"); // a wrong implementation that waits for fn may settle now
    expect(result, `exec() of a function that never settles (timeoutMs ${timeoutMs}): still pending ${latest + 100} ms after fn was called`).toBeDefined();
    expect(result!.error, `exec() of a function that never settles (timeoutMs ${timeoutMs})`).toBeInstanceOf(CallTimeoutError);
    expect((result!.error as { code?: string }).code, "CallTimeoutError's code").toBe("CALL_TIMEOUT");
    expect(abortedAt, "fn's signal is aborted by the time exec() rejects").toBeGreaterThan(0);
    expect(Math.round(abortedAt - invokedAt), `ms from fn being called to its signal aborting: timeoutMs (${timeoutMs}), not before`).toBeGreaterThanOrEqual(timeoutMs - earlyMs);
    expect(Math.round(settledAt - invokedAt), `ms from fn being called to exec() rejecting: timeoutMs (${timeoutMs}) + ${lateMs} ms at most, without waiting for fn`).toBeLessThanOrEqual(latest);
  },
);

graded(
  "timeouts.counts-once",
  { points: 3, hint: "A timeout is one failure. When fn settles after its timeout, ignore it: it was already recorded." },
  async (t) => {
    const timeoutMs = 150;
    const { breaker: b } = await breaker(t, { windowSize: 4, minimumCalls: 4, failureRate: 0.4, timeoutMs });
    const dependency = new Dependency();
    await run(b, dependency, "s");
    const hung = dependency.held();
    await timeOut(b.exec(hung.fn), hung, timeoutMs, () => hung.fail(new Error("failed after its timeout")));
    await sleep(50);
    await run(b, dependency, "s");
    expect(await b.state(), "after s, timeout (then a late rejection), s: 1 failure in 3 calls").toBe("closed");
    const before = dependency.invocations;
    await run(b, dependency, "s");
    expect(dependency.invocations, "a 4th call: the window holds s, timeout, s (a late rejection is not a second failure)").toBe(before + 1);
    expect(await b.state(), "1 failure in 4 calls (failureRate 0.4)").toBe("closed");
    const second = dependency.held();
    await timeOut(b.exec(second.fn), second, timeoutMs, () => second.succeed("late"));
    expect(await b.state(), "after another timeout: 2 failures in the last 4 calls, failureRate 0.4 (a timeout counts as a failure)").toBe("open");
  },
);

graded(
  "timeouts.hung-probe",
  { points: 3, hint: "A probe that times out is a failed probe: record it, which reopens the breaker and frees its permit." },
  async (t) => {
    const { BreakerOpenError, CallTimeoutError } = await load(t);
    const openMs = 200;
    const timeoutMs = 200;
    const { breaker: b } = await breaker(t, { windowSize: 2, minimumCalls: 2, failureRate: 0.9, openMs, timeoutMs, halfOpenPermits: 1, halfOpenSuccesses: 1 });
    const dependency = new Dependency();
    await run(b, dependency, "ff");
    await sleepUntil(performance.now() + openMs + 100);
    const hung = dependency.held();
    const probe = await timeOut(b.exec(hung.fn), hung, timeoutMs, () => hung.succeed("late"));
    const reopenedBy = performance.now();
    expect(probe.error, "the hung probe").toBeInstanceOf(CallTimeoutError);
    const next = await settle(b.exec(dependency.ok()));
    expect(next.error, "a call right after the probe timed out: the breaker reopened").toBeInstanceOf(BreakerOpenError);
    await sleepUntil(reopenedBy + openMs + 100);
    const again = await settle(b.exec(dependency.ok("probe 2")));
    expect(again.value ?? again.error, "a probe once openMs passed again: the hung probe's permit is free").toBe("probe 2");
    expect(await b.state(), "state() after the second probe succeeded").toBe("closed");
  },
);
