import { expect } from "vitest";
import { graded, sleep } from "../../../harness/testing/index.ts";
import { managers } from "./implementation.ts";

graded(
  "contention.retries-until-free",
  { points: 3, timeoutMs: 8000, hint: "Retry SET NX after each delay; a lock released meanwhile is taken on the next try." },
  async (t) => {
    const [holder, waiter] = await managers(t, 2, { ttlMs: 10_000, retry: { attempts: 30, delayMs: 100 } });
    const held = (await holder!.manager.acquire("queue"))!;
    const waiting = waiter!.manager.acquire("queue");
    await sleep(250);
    await held.release();
    const releasedAt = performance.now();
    const lease = await waiting;
    const waited = performance.now() - releasedAt;
    expect(lease, "acquire with retries, while the holder releases 250 ms in").not.toBeNull();
    expect(Math.round(waited), "ms between the release and the waiter's lease (one delay of 100 ms, plus 300 ms slack)").toBeLessThanOrEqual(400);
    expect(lease!.fence, `the waiter's fence, after the holder's ${held.fence}`).toBeGreaterThan(held.fence);
  },
);

graded(
  "contention.gives-up-on-time",
  { points: 3, timeoutMs: 8000, hint: "attempts counts retries after the first try: attempts 3 means 4 tries and 3 waits of delayMs. Constant delays; don't back off exponentially unless asked." },
  async (t) => {
    const retry = { attempts: 3, delayMs: 200, jitterMs: 0 };
    const [holder, waiter] = await managers(t, 2, { ttlMs: 10_000, retry });
    await holder!.manager.acquire("queue");
    const started = performance.now();
    const outcome = await waiter!.manager.acquire("queue").catch((error: unknown) => `rejected: ${String(error)}`);
    const elapsed = Math.round(performance.now() - started);
    expect(outcome, "acquire({ attempts: 3, delayMs: 200 }) while the lock stays taken").toBeNull();
    expect(elapsed, "ms until acquire gave up: 3 waits of 200 ms, at least 600").toBeGreaterThanOrEqual(600 - 2);
    expect(elapsed, "ms until acquire gave up: 3 waits of 200 ms, with 450 ms slack at most 1050").toBeLessThanOrEqual(1050);
  },
);

graded(
  "contention.jitter",
  { points: 2, timeoutMs: 8000, hint: "Each wait is delayMs plus Math.random() * jitterMs: never less than delayMs, and different for each caller so they don't retry in lockstep." },
  async (t) => {
    const retry = { attempts: 2, delayMs: 100, jitterMs: 300 };
    const [holder, ...waiters] = await managers(t, 9, { ttlMs: 10_000, retry });
    await holder!.manager.acquire("queue");
    const started = performance.now();
    const elapsed = await Promise.all(
      waiters.map(async ({ manager }) => {
        const lease = await manager.acquire("queue");
        expect(lease, "acquire while the lock stays taken").toBeNull();
        return Math.round(performance.now() - started);
      }),
    );
    elapsed.sort((a, b) => a - b);
    expect(elapsed[0], `the fastest of 8 callers to give up (all, in ms: ${elapsed.join(", ")}): 2 waits of at least 100 ms`).toBeGreaterThanOrEqual(200 - 2);
    expect(elapsed.at(-1), `the slowest of 8 callers to give up (all, in ms: ${elapsed.join(", ")}): 2 waits of at most 400 ms, plus 300 ms slack`).toBeLessThanOrEqual(1100);
    expect(elapsed.at(-1)! - elapsed[0]!, `spread between the fastest and slowest of 8 callers (${elapsed.join(", ")} ms): random jitter spreads them by far more than 40 ms`).toBeGreaterThanOrEqual(40);
  },
);

graded(
  "contention.never-expired",
  { points: 4, timeoutMs: 8000, hint: "Take Date.now() before sending SET; if the reply arrives after that + ttlMs, the lease is already over: release it (compare-and-delete) and treat the try as failed." },
  async (t) => {
    t.requireOwnServer("redis");
    const ttlMs = 200;
    const [late, next] = await managers(t, 2, { ttlMs });
    const admin = await t.redis();
    // Redis stalls for 2.5 × ttlMs (CLIENT PAUSE, as a slow disk or a busy server would): the SET is answered after its lease has run out.
    await admin.call("CLIENT", "PAUSE", "500", "ALL");
    const started = Date.now();
    const lease = await late!.manager.acquire("queue");
    const now = Date.now();
    expect(now - started, "ms the acquire took while Redis was paused (the pause must have happened)").toBeGreaterThanOrEqual(ttlMs);
    expect(lease === null ? null : `a lease with expiresAt ${lease.expiresAt - now} ms from now`, `acquire({ ttlMs: ${ttlMs} }) answered after ${now - started} ms: the lease is over by the holder's clock, so acquire must return null`).toBeNull();
    expect(await next!.manager.acquire("queue"), "another manager's acquire right after: the lock won too late must have been given back").not.toBeNull();
  },
);
