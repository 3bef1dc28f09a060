import { expect } from "vitest";
import { fullScans, graded, oneLine, withConcurrency } from "../../../harness/testing/index.ts";
import { bankOn, openedBank } from "./implementation.ts";

/** Queries (round trips) a transfer or withdrawal may send, BEGIN, COMMIT and ROLLBACK included, however many accounts the owner holds. */
const perMove = 6;
/** Queries balances() may send. */
const perBalances = 3;

graded(
  "efficiency.queries-per-call",
  { points: 3, timeoutMs: 10_000, hint: "Lock every row you need in one SELECT ... FOR UPDATE (the owner's accounts and the credited one) and apply both changes in one UPDATE: BEGIN, SELECT, UPDATE, COMMIT." },
  async (t) => {
    const ann = Array.from({ length: 6 }, (_, i) => `ann-${i + 1}`);
    const { bank, pool } = await openedBank(t, { isolation: "repeatable read", maxRetries: 5 }, [...ann.map((id): [string, string, bigint] => ["ann", id, 100n]), ["bob", "bob", 0n]]);
    const calls: [string, () => Promise<unknown>, unknown][] = [
      ["transfer(ann-1 → bob, 10), ann holds 6 accounts", () => bank.transfer("ann-1", "bob", 10n), "ok"],
      ["withdraw(ann-2, 10)", () => bank.withdraw("ann-2", 10n), "ok"],
      ["transfer(ann-3 → ann-4, 10), between ann's own accounts", () => bank.transfer("ann-3", "ann-4", 10n), "ok"],
      ["transfer(bob → ann-5, 1000), insufficient funds", () => bank.transfer("bob", "ann-5", 1000n), "insufficient_funds"],
    ];
    for (const [what, call, expected] of calls) {
      pool.traffic.reset();
      expect(await call(), what).toBe(expected);
      expect(pool.traffic.queries, `queries sent by ${what}, uncontended (at most ${perMove}, BEGIN and COMMIT included): ${pool.traffic.statements.map(oneLine).join(" | ")}`).toBeLessThanOrEqual(perMove);
    }
    pool.traffic.reset();
    const balances = await bank.balances();
    expect(balances.size, "accounts in balances()").toBe(7);
    expect(pool.traffic.queries, `queries sent by balances() over 7 accounts (at most ${perBalances}): ${pool.traffic.statements.map(oneLine).join(" | ")}`).toBeLessThanOrEqual(perBalances);
  },
);

graded(
  "efficiency.no-full-scans",
  { points: 3, timeoutMs: 15_000, hint: "Every lookup of an account by id or by owner needs an index: EXPLAIN your statements on a few thousand accounts." },
  async (t) => {
    const admin = t.postgres();
    const setup = await bankOn(t, { isolation: "read committed", maxRetries: 5 });
    await setup.bank.migrate();
    const owners = 1000;
    await withConcurrency(owners * 2, 16, (i) => setup.bank.open(`owner-${i % owners}`, `account-${i}`, 1000n));
    await admin.query("ANALYZE");
    const { bank, pool } = await bankOn(t, { isolation: "read committed", maxRetries: 5 });
    const results = [
      await bank.transfer("account-1", "account-2", 10n),
      await bank.withdraw("account-3", 10n),
      await bank.transfer("account-4", `account-${owners + 4}`, 10n),
      await bank.transfer("account-5", "account-6", 5000n),
    ];
    expect(results, "transfer(account-1 → account-2, 10), withdraw(account-3, 10), a transfer between two accounts of one owner, a transfer of more than the owner holds").toEqual(["ok", "ok", "ok", "insufficient_funds"]);
    expect(pool.traffic.calls.length, "queries sent").toBeGreaterThan(0);
    for (const call of pool.traffic.calls) {
      expect(await fullScans(admin, call), `whole-table scans (of over 500 rows) in the plan of: ${oneLine(call.text)}`).toEqual([]);
    }
  },
);
