import { expect } from "vitest";
import { eventually, graded, untilDisconnected, withoutUnhandledRejections } from "../../../harness/testing/index.ts";
import type { Lease } from "../src/index.ts";
import { load, managers } from "./implementation.ts";

const slackMs = 300;

/** Runs using() with an fn that waits for its signal (or `ms`); reports when it aborted. */
function usingUntilAborted(manager: { using: (resource: string, fn: (signal: AbortSignal, lease: Lease) => Promise<string>) => Promise<string> }, resource: string, ms: number) {
  const state = { abortedAt: 0, abortedAtDate: 0, lease: undefined as Lease | undefined, entered: undefined as unknown as Promise<void> };
  let entered!: () => void;
  state.entered = new Promise<void>((resolve) => (entered = resolve));
  const outcome = manager
    .using(resource, (signal, lease) => {
      state.lease = lease;
      entered();
      return new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve("fn finished"), ms);
        signal.addEventListener("abort", () => {
          state.abortedAt = performance.now();
          state.abortedAtDate = Date.now();
          clearTimeout(timer);
          resolve("fn saw the abort");
        });
      });
    })
    .then(
      (value) => ({ value }) as { value?: string; error?: unknown },
      (error: unknown) => ({ error }) as { value?: string; error?: unknown },
    );
  return { state, outcome };
}

graded(
  "resilience.redis-stops",
  { points: 4, timeoutMs: 12_000, hint: "When extensions fail, fn must still stop by the time the lease runs out: abort the signal, reject with LockLostError, and don't let an extension timer's rejection go unhandled." },
  async (t) => {
    const { LockLostError } = await load(t);
    const ttlMs = 800;
    const [holder] = await managers(t, 1, { ttlMs });
    const faults = t.faults("redis");
    await withoutUnhandledRejections(async () => {
      const { state, outcome } = usingUntilAborted(holder!.manager, "job", 8000);
      await state.entered;
      await faults.stop();
      const stoppedAt = performance.now();
      const stoppedAtDate = Date.now();
      await untilDisconnected(holder!.redis);
      const result = await outcome;
      expect(result.error ?? result.value, "using() while Redis is stopped").toBeInstanceOf(LockLostError);
      expect(state.abortedAt, "signal aborted").toBeGreaterThan(0);
      expect(state.lease!.expiresAt, "lease.expiresAt: no extension can have been confirmed after Redis stopped").toBeLessThanOrEqual(stoppedAtDate + ttlMs);
      expect(Math.round(state.abortedAt - stoppedAt), `ms from Redis stopping to the abort: by the lease's end, at most ttlMs + ${slackMs} ms`).toBeLessThanOrEqual(ttlMs + slackMs);
      expect(state.abortedAtDate, "the abort came no later than lease.expiresAt (+ timer slack)").toBeLessThanOrEqual(state.lease!.expiresAt + slackMs);
    });
  },
);

graded(
  "resilience.recovers",
  { points: 3, timeoutMs: 15_000, hint: "Keep using the injected client; it reconnects by itself, and a restarted Redis has no scripts loaded (defineCommand resends them)." },
  async (t) => {
    const [manager] = await managers(t, 1, { ttlMs: 5000 });
    const faults = t.faults("redis");
    const before = (await manager!.manager.acquire("job"))!;
    await before.release();
    await faults.stop();
    await untilDisconnected(manager!.redis);
    await withoutUnhandledRejections(async () => {
      const settled = await Promise.race([
        manager!.manager.acquire("job").then(
          () => "settled",
          () => "settled",
        ),
        new Promise((resolve) => setTimeout(() => resolve("still pending after 3 s"), 3000)),
      ]);
      expect(settled, "acquire() while Redis is stopped must settle (reject or null), not hang").toBe("settled");
    });
    await faults.start();
    const lease = await eventually(
      async () => {
        const lease = await manager!.manager.acquire("job-after");
        expect(lease, "acquire after Redis came back").not.toBeNull();
        return lease!;
      },
      { timeoutMs: 8000, intervalMs: 100 },
    );
    expect(await lease.release(), "release after Redis came back").toBe(true);
    expect(await manager!.manager.using("job-after", async () => "ran"), "using() after Redis came back").toBe("ran");
  },
);

// Last in the file: its CLIENT PAUSE outlasts the test, and a test after it would wait for the pause to end.
graded(
  "resilience.redis-hangs",
  { points: 3, timeoutMs: 12_000, hint: "An extension that never answers is not a failure you can catch: arm a timer for lease.expiresAt, re-armed after each confirmed extension, that aborts fn." },
  async (t) => {
    t.requireOwnServer("redis"); // CLIENT PAUSE stops the whole server
    const { LockLostError } = await load(t);
    const ttlMs = 600;
    const pauseMs = 2000;
    const [holder] = await managers(t, 1, { ttlMs });
    const admin = await t.redis();
    const { state, outcome } = usingUntilAborted(holder!.manager, "job", 8000);
    await state.entered;
    await admin.call("CLIENT", "PAUSE", String(pauseMs), "ALL");
    const pausedAt = performance.now();
    const result = await outcome;
    expect(result.error ?? result.value, `using() while Redis hangs for ${pauseMs} ms (CLIENT PAUSE)`).toBeInstanceOf(LockLostError);
    expect(state.abortedAt, "signal aborted").toBeGreaterThan(0);
    expect(Math.round(state.abortedAt - pausedAt), `ms from Redis hanging to the abort: by the lease's end, at most ttlMs + ${slackMs} ms, not when Redis answers again`).toBeLessThanOrEqual(ttlMs + slackMs);
  },
);
