import { expect } from "vitest";
import { eventually, graded, sleep, watchStalls, withTimingRetries } from "../../../harness/testing/index.ts";
import { load, managers } from "./implementation.ts";

graded(
  "auto-extend.outlives-ttl",
  { points: 4, timeoutMs: 10_000, hint: "While fn runs, extend the lease on a timer (every ttlMs/3 is a good choice); stop the timer and release when fn settles." },
  async (t) => {
    const ttlMs = 1000;
    const [holder, probe] = await managers(t, 2, { ttlMs });
    const runMs = 2200;
    const taken: string[] = [];
    let abortedDuringFn = false;
    const result = await holder!.manager.using("job", async (signal) => {
      const started = performance.now();
      while (performance.now() - started < runMs) {
        const lease = await probe!.manager.acquire("job");
        if (lease) taken.push(`${Math.round(performance.now() - started)} ms`);
        await sleep(40);
      }
      abortedDuringFn = signal.aborted;
      return "done";
    });
    expect(taken, `times into a ${runMs} ms fn (ttlMs ${ttlMs}) at which another manager got the lock`).toEqual([]);
    expect(abortedDuringFn, "signal aborted while the lock was held throughout").toBe(false);
    expect(result, "using() resolves with fn's value").toBe("done");
    expect(await probe!.manager.acquire("job"), "another manager's acquire right after using() resolved (the lock must be released)").not.toBeNull();
  },
);

graded(
  "auto-extend.released-on-throw",
  { points: 2, hint: "Release in a finally block, and rethrow fn's own error." },
  async (t) => {
    const [holder, probe] = await managers(t, 2, { ttlMs: 10_000 });
    const boom = new Error("boom");
    const outcome = await holder!.manager.using("job", async () => {
      throw boom;
    }).then(
      () => "resolved",
      (error: unknown) => error,
    );
    expect(outcome, "using() when fn throws: rejects with fn's own error").toBe(boom);
    expect(await probe!.manager.acquire("job"), "another manager's acquire right after fn threw").not.toBeNull();
  },
);

graded("auto-extend.busy", { points: 1, hint: "When acquire() returns null, using() rejects with LockBusyError and never calls fn." }, async (t) => {
  const { LockBusyError } = await load(t);
  const [holder, other] = await managers(t, 2, { ttlMs: 10_000 });
  await holder!.manager.acquire("job");
  let called = false;
  const outcome = await other!.manager.using("job", async () => {
    called = true;
  }).then(
    () => "resolved",
    (error: unknown) => error,
  );
  expect(outcome, "using() on a lock held elsewhere").toBeInstanceOf(LockBusyError);
  expect(called, "fn called although the lock was taken").toBe(false);
});

graded(
  "auto-extend.lost-lock-aborts",
  { points: 4, timeoutMs: 15_000, hint: "An extension that returns false means the lock is someone else's now: abort the signal and reject using() with LockLostError at once, without waiting for fn." },
  async (t) => {
    const { LockLostError } = await load(t);
    const ttlMs = 1000;
    const slackMs = 250;
    // The deadlines are judged only if this process did not stall meanwhile; otherwise the scene is set again on a new key.
    await withTimingRetries(async (attempt) => {
      const key = attempt === 1 ? "job" : `job-try-${attempt}`;
      const [holder, taker, third] = await managers(t, 3, { ttlMs });
      const admin = await t.redis();
      let abortedAt = 0;
      let entered!: () => void;
      const inFn = new Promise<void>((resolve) => (entered = resolve));
      let roundTripsAtEntry = 0;
      const running = holder!.manager.using(key, async (signal) => {
        roundTripsAtEntry = holder!.redis.traffic.roundTrips;
        signal.addEventListener("abort", () => (abortedAt = performance.now()));
        entered();
        await sleep(6000); // ignores the signal on purpose
        return "finished";
      });
      const settled = running.then(
        (value) => ({ value, at: performance.now() }),
        (error: unknown) => ({ error, at: performance.now() }),
      );
      await inFn;
      // Right after the holder's first extension, the lock is lost: a failover empties Redis and another manager takes it.
      await eventually(async () => expect(holder!.redis.traffic.roundTrips, "round trips from the holder's client after fn started (an extension)").toBeGreaterThan(roundTripsAtEntry), {
        timeoutMs: ttlMs,
        intervalMs: 2,
      });
      const extendedAt = performance.now();
      expect(abortedAt, "signal aborted while the lock was still held").toBe(0);
      const stalls = watchStalls(slackMs / 2);
      const { takeover, outcome } = await (async () => {
        await admin.flushdb();
        const takeover = await taker!.manager.acquire(key);
        expect(takeover, "another manager's acquire after the lock's key vanished").not.toBeNull();
        return { takeover, outcome: await settled };
      })().finally(() => stalls.stop());
      const deadline = extendedAt + ttlMs / 2 + slackMs;
      expect("error" in outcome ? outcome.error : outcome, "using() after the lock was taken over").toBeInstanceOf(LockLostError);
      expect(abortedAt, "signal aborted after the takeover").toBeGreaterThan(0);
      stalls.judge("the takeover", () => {
        expect(Math.round(abortedAt - extendedAt), `signal aborted within ttlMs/2 + ${slackMs} ms (${ttlMs / 2 + slackMs} ms) of the extension before the takeover`).toBeLessThanOrEqual(ttlMs / 2 + slackMs);
        expect(Math.round(outcome.at - extendedAt), `using() rejected within ${ttlMs / 2 + slackMs} ms of the extension before the takeover, without waiting for fn`).toBeLessThanOrEqual(deadline - extendedAt);
      });
      expect(await third!.manager.acquire(key), "a third manager's acquire: the new holder keeps the lock").toBeNull();
      expect(await takeover!.release(), "the new holder releases its lock").toBe(true);
    });
  },
);
