import { expect } from "vitest";
import { graded, type GradedContext } from "../../../harness/testing/index.ts";
import type { BankOptions } from "../src/index.ts";
import { openedBank } from "./implementation.ts";
import { injectFailures, installProbes, probedTimeoutMs, stopInjecting } from "./probes.ts";

/** A bank with accounts a and b (100 each, two owners) whose tables carry the grader's failure injector. */
async function probedBank(t: GradedContext, options: Omit<BankOptions, "pg">) {
  const admin = t.postgres();
  const setup = await openedBank(t, options, [["ann", "a", 100n], ["bob", "b", 100n]]);
  await installProbes(admin);
  return { ...setup, admin };
}

function describe(error: unknown): string {
  const e = error as { name?: string; code?: string; attempts?: number; cause?: { code?: string } };
  return `${e?.name} code=${e?.code} attempts=${e?.attempts} cause.code=${e?.cause?.code}`;
}

graded(
  "retries.serialization-failure",
  { points: 3, timeoutMs: probedTimeoutMs, hint: "On 40001, ROLLBACK and run the whole transaction again from BEGIN, up to maxRetries more times; count each re-run in stats().retries." },
  async (t) => {
    const { bank, admin } = await probedBank(t, { isolation: "read committed", maxRetries: 2 });
    await injectFailures(admin, "40001", 2);
    const result = await bank.transfer("a", "b", 10n).catch((error: unknown) => `rejected: ${describe(error)}`);
    const writes = await stopInjecting(admin);
    expect(result, "transfer(a → b, 10) with maxRetries 2 while its first 2 writing statements fail with 40001").toBe("ok");
    expect(writes, "writing statements that reached your tables (2 failed, then the third run wrote)").toBeGreaterThanOrEqual(3);
    expect(bank.stats().retries, "stats().retries").toBe(2);
    expect(Object.fromEntries(await bank.balances()), "balances(): the transfer applied exactly once").toEqual({ a: 90n, b: 110n });
  },
);

graded("retries.deadlock-detected", { points: 2, timeoutMs: probedTimeoutMs, hint: "40P01 (deadlock detected) is retried like 40001: Postgres rolled back one of the transactions so that the other could go on." }, async (t) => {
  const { bank, admin } = await probedBank(t, { isolation: "serializable", maxRetries: 1 });
  await injectFailures(admin, "40P01", 1);
  const result = await bank.withdraw("a", 30n).catch((error: unknown) => `rejected: ${describe(error)}`);
  await stopInjecting(admin);
  expect(result, "withdraw(a, 30) with maxRetries 1 while its first writing statement fails with 40P01").toBe("ok");
  expect(bank.stats().retries, "stats().retries").toBe(1);
  expect(Object.fromEntries(await bank.balances()), "balances(): the withdrawal applied exactly once").toEqual({ a: 70n, b: 100n });
});

graded(
  "retries.gives-up",
  { points: 3, timeoutMs: probedTimeoutMs, hint: "After the first run and maxRetries re-runs all failed, reject with RetriesExhaustedError (attempts = maxRetries + 1, cause = the last error)." },
  async (t) => {
    const { bank, admin } = await probedBank(t, { isolation: "repeatable read", maxRetries: 3 });
    await injectFailures(admin, "40001", 1000);
    const error = await bank.transfer("a", "b", 10n).then((value) => ({ resolved: value }), (reason: unknown) => reason);
    const writes = await stopInjecting(admin);
    expect(describe(error), "transfer(a → b, 10) with maxRetries 3 while every writing statement fails with 40001").toBe("RetriesExhaustedError code=RETRIES_EXHAUSTED attempts=4 cause.code=40001");
    expect(writes, "runs of the transaction that reached a writing statement (the first + 3 retries)").toBe(4);
    expect(bank.stats().retries, "stats().retries").toBe(3);
    expect(Object.fromEntries(await bank.balances()), "balances() after the transfer gave up").toEqual({ a: 100n, b: 100n });
    expect(await bank.transfer("a", "b", 10n), "the same bank's next transfer, with nothing injected").toBe("ok");
  },
);

graded(
  "retries.other-errors",
  { points: 2, timeoutMs: probedTimeoutMs, hint: "Only 40001 and 40P01 are retried; anything else is rethrown at once. Always ROLLBACK (or destroy the connection) before it goes back to the pool." },
  async (t) => {
    const { bank, admin, pool } = await probedBank(t, { isolation: "read committed", maxRetries: 5 });
    await injectFailures(admin, "KT001", 1000);
    const error = await bank.transfer("a", "b", 10n).then((value) => ({ resolved: value }), (reason: unknown) => reason);
    const writes = await stopInjecting(admin);
    const code = (error as { code?: string })?.code === "KT001" || (error as { cause?: { code?: string } })?.cause?.code === "KT001";
    expect(code, `transfer(a → b, 10) while its writes fail with SQLSTATE KT001 rejects with that error (code, or cause.code): got ${describe(error)}`).toBe(true);
    expect(writes, "runs of the transaction (KT001 is not retryable)").toBe(1);
    expect(bank.stats().retries, "stats().retries").toBe(0);
    const next: string[] = [];
    for (let i = 0; i < 3; i++) next.push(await bank.transfer("b", "a", 5n).catch((failure: unknown) => `rejected: ${describe(failure)} ${(failure as Error)?.message}`));
    expect(next, "the same bank's next 3 transfers, one after another (a connection left inside the failed transaction would break them)").toEqual(["ok", "ok", "ok"]);
    expect({ idle: pool.idleCount, total: pool.totalCount }, "the bank's pool afterwards: every connection back and idle").toEqual({ idle: pool.totalCount, total: pool.totalCount });
    expect(Object.fromEntries(await bank.balances()), "balances() afterwards").toEqual({ a: 115n, b: 85n });
  },
);
