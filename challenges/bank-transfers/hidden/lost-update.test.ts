import { expect } from "vitest";
import { graded, type GradedContext } from "../../../harness/testing/index.ts";
import type { Isolation } from "../src/index.ts";
import { bankOn, count, openedBank, outcomes } from "./implementation.ts";
import { lockstep } from "./lockstep.ts";

async function twentyDebits(t: GradedContext, isolation: Isolation): Promise<void> {
  const admin = t.postgres();
  const { bank } = await openedBank(t, { isolation, maxRetries: 30 }, [["ann", "a", 100n], ["bob", "b", 0n]]);
  const racers = await Promise.all(Array.from({ length: 20 }, () => bankOn(t, { isolation, maxRetries: 30 }, { gate: true })));
  const results = outcomes(await lockstep(admin, racers.map((racer) => ({ gate: racer.gate!, pids: racer.pids })), (i) => racers[i]!.bank.transfer("a", "b", 60n)));
  const rejected = results.filter((result) => result.startsWith("rejected"));
  expect(rejected, `transfer(a → b, 60) × 20 at ${isolation}, in lockstep: calls that rejected`).toEqual([]);
  expect({ ok: count(results, "ok"), insufficient_funds: count(results, "insufficient_funds") }, `transfer(a → b, 60) × 20 at ${isolation} from an account of 100, each on a pool of its own, every statement in lockstep`).toEqual({ ok: 1, insufficient_funds: 19 });
  expect(Object.fromEntries(await bank.balances()), "balances() afterwards").toEqual({ a: 40n, b: 60n });
}

graded(
  "lost-update.read-committed",
  { points: 4, timeoutMs: 10_000, hint: "Reading the balance and then writing a value computed from it lets every reader overwrite the others. Lock the row first (SELECT ... FOR UPDATE), or update conditionally in one statement." },
  (t) => twentyDebits(t, "read committed"),
);

graded(
  "lost-update.repeatable-read",
  { points: 4, timeoutMs: 10_000, hint: "Under REPEATABLE READ, a transaction that waited for a row another one changed fails with 40001: roll back and run the whole transaction again." },
  (t) => twentyDebits(t, "repeatable read"),
);
