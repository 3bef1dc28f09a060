import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { bankOn, count, openedBank, outcomes } from "./implementation.ts";
import { lockstep } from "./lockstep.ts";

graded(
  "write-skew.withdrawals-repeatable-read",
  { points: 4, timeoutMs: 8000, hint: "Each withdrawal reads both of ann's accounts but writes only one: no row conflict, so REPEATABLE READ lets both commit. Lock every account of the owner before reading the total." },
  async (t) => {
    const admin = t.postgres();
    const options = { isolation: "repeatable read" as const, maxRetries: 10 };
    const { bank } = await openedBank(t, options, [["ann", "checking", 50n], ["ann", "savings", 50n]]);
    const racers = await Promise.all([0, 1].map(() => bankOn(t, options, { gate: true })));
    const accounts = ["checking", "savings"];
    const results = outcomes(await lockstep(admin, racers.map((racer) => ({ gate: racer.gate!, pids: racer.pids })), (i) => racers[i]!.bank.withdraw(accounts[i]!, 100n)));
    expect(results.filter((result) => result.startsWith("rejected")), "withdrawals that rejected").toEqual([]);
    expect(count(results, "ok"), `withdraw(checking, 100) and withdraw(savings, 100) at once, ann holds 50 + 50 (results: ${results.join(", ")})`).toBe(1);
    expect(total(await bank.balances()), "ann's total afterwards").toBe(0n);
  },
);

graded(
  "write-skew.transfers-read-committed",
  { points: 4, timeoutMs: 8000, hint: "A debit checks the owner's total over all their accounts: lock them all (SELECT ... WHERE owner = ... FOR UPDATE), not just the account you debit." },
  async (t) => {
    const admin = t.postgres();
    const options = { isolation: "read committed" as const, maxRetries: 10 };
    const { bank } = await openedBank(t, options, [["ann", "checking", 50n], ["ann", "savings", 50n], ["bob", "bob", 0n], ["cat", "cat", 0n]]);
    const racers = await Promise.all([0, 1].map(() => bankOn(t, options, { gate: true })));
    const moves: [string, string][] = [["checking", "bob"], ["savings", "cat"]];
    const results = outcomes(await lockstep(admin, racers.map((racer) => ({ gate: racer.gate!, pids: racer.pids })), (i) => racers[i]!.bank.transfer(moves[i]![0], moves[i]![1], 100n)));
    expect(results.filter((result) => result.startsWith("rejected")), "transfers that rejected").toEqual([]);
    expect(count(results, "ok"), `transfer(checking → bob, 100) and transfer(savings → cat, 100) at once, ann holds 50 + 50 (results: ${results.join(", ")})`).toBe(1);
    const balances = await bank.balances();
    expect(balances.get("checking")! + balances.get("savings")!, "ann's total afterwards").toBe(0n);
    expect(total(balances), "the bank's total afterwards").toBe(100n);
  },
);

function total(balances: Map<string, bigint>): bigint {
  let sum = 0n;
  for (const [id, cents] of balances) if (id === "checking" || id === "savings" || id === "bob" || id === "cat") sum += cents;
  return sum;
}
