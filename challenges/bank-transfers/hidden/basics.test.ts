import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { bankOn, levels, openedBank } from "./implementation.ts";
import { installProbes, probedTimeoutMs, writeLevels } from "./probes.ts";

const big = 2n ** 53n + 1n; // 9007199254740993: a Number would round it

graded("basics.accounts", { points: 3, hint: "pg returns bigint columns as strings: BigInt(row.balance). An owner's accounts may go below zero one by one, as long as their total does not." }, async (t) => {
  const { bank } = await bankOn(t, { isolation: "read committed", maxRetries: 5 });
  await bank.migrate();
  await bank.migrate();
  await bank.open("ann", "ann-checking", 100n);
  await bank.open("ann", "ann-savings", 50n);
  await bank.open("bob", "bob-checking", big);
  await bank.open("cat", "cat-checking", 0n);
  const expectBalances = async (expected: Record<string, bigint>, what: string) => expect(Object.fromEntries(await bank.balances()), what).toEqual(expected);
  await expectBalances({ "ann-checking": 100n, "ann-savings": 50n, "bob-checking": big, "cat-checking": 0n }, "balances() after opening 4 accounts");
  expect(await bank.transfer("ann-checking", "cat-checking", 30n), "transfer(ann-checking → cat-checking, 30) with 150 across ann's accounts").toBe("ok");
  expect(await bank.transfer("cat-checking", "bob-checking", 31n), "transfer(cat-checking → bob-checking, 31): cat has 30").toBe("insufficient_funds");
  expect(await bank.transfer("cat-checking", "bob-checking", 30n), "transfer(cat-checking → bob-checking, 30): cat has exactly 30").toBe("ok");
  await expectBalances({ "ann-checking": 70n, "ann-savings": 50n, "bob-checking": big + 30n, "cat-checking": 0n }, "balances() after the transfers");
  expect(await bank.withdraw("ann-savings", 100n), "withdraw(ann-savings, 100): ann's accounts hold 120 together").toBe("ok");
  expect(await bank.withdraw("ann-checking", 21n), "withdraw(ann-checking, 21): ann's accounts hold 20 together").toBe("insufficient_funds");
  expect(await bank.transfer("ann-savings", "ann-checking", 500n), "transfer(ann-savings → ann-checking, 500) between ann's own accounts: her total does not change").toBe("ok");
  expect(await bank.transfer("ann-checking", "cat-checking", 21n), "transfer(ann-checking → cat-checking, 21): ann's total is 20").toBe("insufficient_funds");
  await expectBalances({ "ann-checking": 570n, "ann-savings": -550n, "bob-checking": big + 30n, "cat-checking": 0n }, "balances() after the withdrawal and ann's own transfer");
  expect(await bank.transfer("bob-checking", "cat-checking", big), "transfer(bob → cat, 2^53 + 1)").toBe("ok");
  expect(await bank.withdraw("cat-checking", big - 2n), "withdraw(cat, 2^53 - 1)").toBe("ok");
  await expectBalances({ "ann-checking": 570n, "ann-savings": -550n, "bob-checking": 30n, "cat-checking": 2n }, "balances() after moving 2^53 + 1 cents (exact bigint arithmetic)");
});

graded("basics.validation", { points: 2, hint: "Check the arguments before sending anything; an unknown account is an UnknownAccountError and changes nothing." }, async (t) => {
  const { bank, pool } = await openedBank(t, { isolation: "read committed", maxRetries: 5 }, [["ann", "a", 100n], ["bob", "b", 100n]]);
  pool.traffic.reset();
  const invalid = await Promise.allSettled([bank.transfer("a", "b", 0n), bank.transfer("a", "b", -5n), bank.transfer("a", "a", 10n), bank.withdraw("a", 0n), bank.withdraw("a", -1n)]);
  const names = invalid.map((result) => (result.status === "rejected" ? (result.reason as Error)?.name : `resolved ${String(result.value)}`));
  expect(names, "transfer(a, b, 0n), transfer(a, b, -5n), transfer(a, a, 10n), withdraw(a, 0n), withdraw(a, -1n)").toEqual(Array(5).fill("RangeError"));
  expect(pool.traffic.queries, "queries sent for the invalid calls").toBe(0);
  const unknown = await Promise.allSettled([bank.transfer("a", "nobody", 10n), bank.transfer("nobody", "a", 10n), bank.withdraw("nobody", 10n)]);
  const codes = unknown.map((result) => (result.status === "rejected" ? `${(result.reason as Error)?.name} ${(result.reason as { code?: string })?.code}` : `resolved ${String(result.value)}`));
  expect(codes, "transfer(a, nobody), transfer(nobody, a), withdraw(nobody)").toEqual(Array(3).fill("UnknownAccountError UNKNOWN_ACCOUNT"));
  expect(Object.fromEntries(await bank.balances()), "balances() after the rejected calls").toEqual({ a: 100n, b: 100n });
  expect(await bank.transfer("a", "b", 10n), "a valid transfer afterwards").toBe("ok");
});

graded("basics.isolation-level", { points: 2, timeoutMs: probedTimeoutMs, hint: "Open each transaction with BEGIN ISOLATION LEVEL <options.isolation> (or SET TRANSACTION right after BEGIN)." }, async (t) => {
  const admin = t.postgres();
  const setup = await openedBank(t, { isolation: "read committed", maxRetries: 5 }, [["ann", "a", 1000n], ["bob", "b", 1000n]]);
  await installProbes(admin);
  for (const isolation of levels) {
    const { bank } = await bankOn(t, { isolation, maxRetries: 5 });
    await writeLevels(admin);
    const results = [await bank.transfer("a", "b", 10n), await bank.withdraw("b", 5n)];
    expect(results, `transfer and withdraw of a bank created with isolation "${isolation}"`).toEqual(["ok", "ok"]);
    const seen = await writeLevels(admin);
    expect(seen.length, "writing statements seen").toBeGreaterThan(0);
    expect([...new Set(seen)], `isolation level of every statement that wrote, for a bank created with isolation "${isolation}"`).toEqual([isolation]);
  }
  expect(Object.fromEntries(await setup.bank.balances()), "balances() at the end").toEqual({ a: 970n, b: 1015n });
});

graded("basics.schema-rule", { points: 1, hint: "The invariants are your code's job: no CHECK constraint, trigger or rule may enforce them." }, async (t) => {
  const admin = t.postgres();
  await openedBank(t, { isolation: "read committed", maxRetries: 5 }, [["ann", "a", 10n]]);
  const found = await admin.query<{ what: string }>(`
    SELECT 'CHECK constraint ' || conname AS what FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace
    UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger JOIN pg_class c ON c.oid = tgrelid WHERE NOT tgisinternal AND c.relnamespace = 'public'::regnamespace
    UNION ALL SELECT 'rule ' || rulename FROM pg_rules WHERE schemaname = 'public'`);
  expect(found.rows.map((row) => row.what), "CHECK constraints, triggers and rules in the public schema after migrate()").toEqual([]);
});
