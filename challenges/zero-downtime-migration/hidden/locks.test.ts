import { expect } from "vitest";
import { graded, InconclusiveTiming, withTimingRetries } from "../../../harness/testing/index.ts";
import { columns, holdTransaction, indexes, load, recordAttempts, runPhase, seed, settledAs, watchEventLoop } from "./implementation.ts";
import { oldAppServing } from "./starting-points.ts";

graded(
  "locks.gives-up-on-time",
  { points: 4, timeoutMs: 15_000, hint: "Each attempt: SET LOCAL lock_timeout = lockTimeoutMs (milliseconds), run the SQL; on SQLSTATE 55P03 wait retryDelayMs and try again, retries more times; then reject with LockTimeoutError." },
  async (t) => {
    const impl = await load(t);
    const admin = t.postgres();
    await seed(admin, 200);
    await withTimingRetries(async () => {
      const pool = t.postgres();
      const sql = "ALTER TABLE users ADD COLUMN probe integer";
      const attempts = recordAttempts(pool, sql);
      const report = await holdTransaction(admin, "read", 3000);
      const lag = watchEventLoop();
      let outcome: unknown = "runStep resolved";
      try {
        await impl.runStep(pool, { name: "probe", sql, transactional: true }, { lockTimeoutMs: 200, retries: 2, retryDelayMs: 300 });
      } catch (error) {
        outcome = error;
      } finally {
        await report.release();
        lag.stop();
      }
      if ((outcome as Error)?.name === "NotImplementedError") throw outcome;
      // A stalled test process makes every gap look long: judge only attempts it watched closely.
      if (lag.maxMs > 100) throw new InconclusiveTiming(`the test process stalled for ${lag.maxMs} ms`);
      expect(attempts.length, "attempts (queries containing the step's SQL) while a long transaction held the table, with retries: 2").toBe(3);
      expect(settledAs(outcome, impl.LockTimeoutError), "runStep after every attempt timed out").toBe("LockTimeoutError");
      expect((outcome as { code?: string }).code, "LockTimeoutError.code").toBe("LOCK_TIMEOUT");
      const waits = attempts.map((a) => Math.round(a.settledAt - a.sentAt));
      for (const [i, wait] of waits.entries()) {
        expect(wait, `ms attempt ${i + 1} waited before giving up (lockTimeoutMs 200; all: ${waits.join(", ")})`).toBeGreaterThanOrEqual(170);
        expect(wait, `ms attempt ${i + 1} waited before giving up (lockTimeoutMs 200; all: ${waits.join(", ")})`).toBeLessThanOrEqual(350);
      }
      const gaps = attempts.slice(1).map((a, i) => Math.round(a.sentAt - attempts[i]!.settledAt));
      for (const [i, gap] of gaps.entries()) {
        expect(gap, `ms between attempt ${i + 1} timing out and attempt ${i + 2} (retryDelayMs 300; all: ${gaps.join(", ")})`).toBeGreaterThanOrEqual(290);
        expect(gap, `ms between attempt ${i + 1} timing out and attempt ${i + 2} (retryDelayMs 300; all: ${gaps.join(", ")})`).toBeLessThanOrEqual(550);
      }
    });
    expect((await columns(admin)).map((column) => column.name), "columns after the step gave up").not.toContain("probe");
  },
);

graded(
  "locks.app-never-queues",
  { points: 4, timeoutMs: 15_000, hint: "Without lock_timeout, a DDL queued behind a long transaction blocks every query that comes after it, for as long as that transaction lasts." },
  async (t) => {
    const { impl, admin, traffic } = await oldAppServing(t);
    traffic.report.maxLatencyMs = 0;
    const report = await holdTransaction(admin, "read", 800);
    let outcome: unknown = "expand finished";
    try {
      await runPhase(impl, t.postgres(), impl.createPlan().expand, { lockTimeoutMs: 100, retries: 100, retryDelayMs: 20 });
    } catch (error) {
      outcome = error;
    } finally {
      await report.release();
    }
    const result = await traffic.stop();
    expect(settledAs(outcome, impl.LockTimeoutError), "expand with { lockTimeoutMs: 100, retries: 100, retryDelayMs: 20 } while a report held the table for 800 ms").toBe("expand finished");
    expect(result.errors.slice(0, 5), `failed operations of the old app (${result.errors.length})`).toEqual([]);
    expect(result.maxLatencyMs, `the slowest old-app query while expand waited for its locks (${result.slowest}), in ms: at most lockTimeoutMs + 250`).toBeLessThanOrEqual(350);
  },
);

graded(
  "locks.only-lock-timeouts-retried",
  { points: 2, timeoutMs: 8000, hint: "A step that fails for another reason (a typo, a duplicate column) will fail again: reject with Postgres's own error at once." },
  async (t) => {
    const impl = await load(t);
    const admin = t.postgres();
    await seed(admin, 50);
    const pool = t.postgres();
    const broken = "ALTER TABLE users ADD COLUMN email text";
    const attempts = recordAttempts(pool, broken);
    const options = { lockTimeoutMs: 200, retries: 3, retryDelayMs: 10 };
    let outcome: unknown = "runStep resolved";
    await impl.runStep(pool, { name: "duplicate-column", sql: broken, transactional: true }, options).catch((error: unknown) => (outcome = error));
    if ((outcome as Error)?.name === "NotImplementedError") throw outcome;
    expect((outcome as { code?: string })?.code ?? settledAs(outcome, impl.LockTimeoutError), "the error of a step that adds a column that exists: Postgres's own (42701)").toBe("42701");
    expect(attempts.length, "attempts of a step that failed with 42701").toBe(1);
    await impl.runStep(pool, { name: "add-probe", sql: "ALTER TABLE users ADD COLUMN probe integer", transactional: true }, options);
    await impl.runStep(pool, { name: "index-probe", sql: "CREATE INDEX CONCURRENTLY users_probe_idx ON users (probe)", transactional: false }, options);
    expect((await columns(admin)).map((column) => column.name), "columns after a transactional step").toContain("probe");
    expect((await indexes(admin)).find((index) => index.name === "users_probe_idx")?.valid, "users_probe_idx after a non-transactional step").toBe(true);
  },
);
