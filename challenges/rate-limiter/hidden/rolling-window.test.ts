import { expect } from "vitest";
import { graded, sentBefore, sleep, sleepUntil, withTimingRetries } from "../../../harness/testing/index.ts";
import { load } from "./implementation.ts";

// Timing model: Redis and this test share a clock source (same machine), so an admission
// the server made happened between our send time and our receive time. Every bound below
// is derived from those two instants; `slackMs` covers scheduling jitter.
const slackMs = 50;
/** A timer may fire up to about a millisecond before its time (by performance.now()). */
const timerStepMs = 3;

graded(
  "rolling-window.no-burst-at-boundary",
  {
    points: 3,
    timeoutMs: 9000,
    concurrent: true,
    hint: "A counter per fixed window admits up to 2×limit around a boundary, and a counter that expires after its first call resets early. Track when each admission happened.",
  },
  async (t) => {
    const { createRateLimiter } = await load(t);
    const windowMs = 800;
    const limiter = createRateLimiter({ redis: await t.redis(), limit: 5, windowMs });
    await withTimingRetries(async (attempt) => {
      const key = `boundary-${attempt}`;
      const start = performance.now();
      expect((await limiter.consume(key)).allowed, "1st call at t=0").toBe(true);
      const firstAdmittedBy = performance.now();
      await sleepUntil(start + windowMs / 2);
      const secondSent = performance.now();
      for (let i = 0; i < 4; i++) expect((await limiter.consume(key)).allowed, `call ${i + 2} at t≈${windowMs / 2} ms`).toBe(true);
      const sixth = await limiter.consume(key);
      // Only conclusive while the t=0 admission surely still counted when Redis decided.
      sentBefore(performance.now(), start + windowMs, "the answer to the 6th call");
      expect(sixth.allowed, `6th call at t≈${windowMs / 2} ms: 5 were admitted in the last ${windowMs / 2} ms, so a rolling window of ${windowMs} ms must deny it`).toBe(false);
      await sleepUntil(firstAdmittedBy + windowMs + slackMs);
      expect((await limiter.consume(key)).allowed, `call at t≈${windowMs + slackMs} ms: the t=0 admission has left the window, so one call fits`).toBe(true);
      const next = await limiter.consume(key);
      sentBefore(performance.now(), secondSent + windowMs, "the answer to the call after it");
      expect(next.allowed, `next call at t≈${windowMs + slackMs} ms: the 4 admissions from t≈${windowMs / 2} ms still count until t≈${(windowMs * 3) / 2} ms`).toBe(false);
    });
  },
);

graded(
  "rolling-window.old-cost-expires",
  { points: 2, timeoutMs: 8000, concurrent: true, hint: "Admitted cost must leave the window exactly windowMs after it was admitted, however many denied calls arrive meanwhile." },
  async (t) => {
    const { createRateLimiter } = await load(t);
    const windowMs = 500;
    const limiter = createRateLimiter({ redis: await t.redis(), limit: 5, windowMs });
    await withTimingRetries(async (attempt) => {
      const key = `expiry-${attempt}`;
      const firstSent = performance.now();
      for (let i = 0; i < 5; i++) await limiter.consume(key);
      const lastAdmittedBy = performance.now();
      // Denied calls during the window must not push the block further out.
      for (let i = 0; i < 5; i++) {
        const decision = await limiter.consume(key);
        sentBefore(performance.now(), firstSent + windowMs, "the answer to a call over the limit");
        expect(decision.allowed, "call over the limit").toBe(false);
        await sleep(windowMs / 8);
      }
      await sleepUntil(lastAdmittedBy + windowMs + slackMs);
      for (let i = 1; i <= 5; i++) {
        expect(await limiter.consume(key), `call ${i} of 5 after the first 5 left the window`).toMatchObject({ allowed: true, remaining: 5 - i });
      }
    });
  },
);

graded(
  "rolling-window.retry-after-is-exact",
  { points: 2, timeoutMs: 9000, concurrent: true, hint: "retryAfterMs is when enough of the oldest admitted cost leaves the window for this call's cost to fit, measured on Redis's clock and rounded up." },
  async (t) => {
    const { createRateLimiter } = await load(t);
    const windowMs = 800;
    const limiter = createRateLimiter({ redis: await t.redis(), limit: 5, windowMs });
    await withTimingRetries(async (attempt) => {
      const key = `retry-${attempt}`;
      const firstSent = performance.now();
      await limiter.consume(key, 1);
      const firstAdmittedBy = performance.now();
      await sleepUntil(firstSent + windowMs / 2);
      const secondSent = performance.now();
      await limiter.consume(key, 4);
      const secondAdmittedBy = performance.now();

      const askedAt = performance.now();
      const one = await limiter.consume(key, 1);
      // Only conclusive while the t=0 admission surely still counted when Redis decided.
      sentBefore(performance.now(), firstSent + windowMs, "the answer to the call of cost 1");
      const two = await limiter.consume(key, 2);
      const answeredBy = performance.now();
      expect(one.allowed, "cost 1 with the window full").toBe(false);
      expect(two.allowed, "cost 2 with the window full").toBe(false);
      // Cost 1 fits once the t=0 admission leaves; cost 2 needs the t≈400 ms batch to leave too.
      const bounds = (sent: number, admittedBy: number) => [sent + windowMs - answeredBy - 1, admittedBy + windowMs - askedAt + slackMs] as const;
      const [oneLow, oneHigh] = bounds(firstSent, firstAdmittedBy);
      expect(one.retryAfterMs, `retryAfterMs for cost 1 should be between ${Math.round(oneLow)} and ${Math.round(oneHigh)}`).toBeGreaterThanOrEqual(oneLow);
      expect(one.retryAfterMs, `retryAfterMs for cost 1 should be between ${Math.round(oneLow)} and ${Math.round(oneHigh)}`).toBeLessThanOrEqual(oneHigh);
      const [twoLow, twoHigh] = bounds(secondSent, secondAdmittedBy);
      expect(two.retryAfterMs, `retryAfterMs for cost 2 should be between ${Math.round(twoLow)} and ${Math.round(twoHigh)}`).toBeGreaterThanOrEqual(twoLow);
      expect(two.retryAfterMs, `retryAfterMs for cost 2 should be between ${Math.round(twoLow)} and ${Math.round(twoHigh)}`).toBeLessThanOrEqual(twoHigh);

      // A client that waits retryAfterMs and retries is admitted.
      await sleepUntil(answeredBy + one.retryAfterMs + timerStepMs);
      expect((await limiter.consume(key, 1)).allowed, "cost 1 retried after waiting retryAfterMs").toBe(true);
    });
  },
);

graded(
  "rolling-window.reset-ms",
  { points: 2, timeoutMs: 8000, concurrent: true, hint: "resetMs runs until the newest counted admission leaves the window, on a denial too (not a full window from now); 0 when nothing is counted." },
  async (t) => {
    const { createRateLimiter } = await load(t);
    const windowMs = 600;
    const limiter = createRateLimiter({ redis: await t.redis(), limit: 4, windowMs });
    await withTimingRetries(async (attempt) => {
      const key = `reset-${attempt}`;
      const first = await limiter.consume(key);
      expect(first.resetMs, "resetMs right after the first admission").toBeGreaterThan(windowMs - slackMs);
      expect(first.resetMs, "resetMs right after the first admission").toBeLessThanOrEqual(windowMs);
      await sleep(200);
      const secondSent = performance.now();
      const second = await limiter.consume(key);
      const admittedBy = performance.now();
      expect(second.resetMs, "resetMs after a second admission 200 ms later is measured from the newest one").toBeGreaterThan(windowMs - slackMs);
      expect(second.resetMs, "resetMs after a second admission 200 ms later is measured from the newest one").toBeLessThanOrEqual(windowMs);

      // 200 ms later a call that does not fit: the quota is whole again when the newest admission leaves.
      await sleepUntil(admittedBy + 200);
      const askedAt = performance.now();
      const denied = await limiter.consume(key, 4);
      const answeredBy = performance.now();
      sentBefore(answeredBy, secondSent + windowMs, "the answer to the call over the limit");
      expect(denied.allowed, "cost 4 with the second admission still counted (limit 4)").toBe(false);
      const [low, high] = [Math.floor(secondSent + windowMs - answeredBy - 1), Math.ceil(admittedBy + windowMs - askedAt + slackMs)];
      const expected = `resetMs of a call denied ${Math.round(askedAt - admittedBy)} ms after the newest admission should be between ${low} and ${high}`;
      expect(denied.resetMs, expected).toBeGreaterThanOrEqual(low);
      expect(denied.resetMs, expected).toBeLessThanOrEqual(high);

      await sleepUntil(admittedBy + second.resetMs + 5);
      expect(await limiter.consume(key), "first call after waiting resetMs: the full quota is back").toMatchObject({ allowed: true, remaining: 3 });
    });
  },
);
