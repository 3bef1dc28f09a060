import type pg from "pg";
import { callsPerSecond } from "../../testing/concurrency.ts";
import type { ThroughputBench } from "./throughput-bench.ts";

const total = 4000;
const concurrency = 32;
const owners = 32;
/** Two accounts per owner, so the owner's total is a sum of two rows. */
const accounts = Array.from({ length: owners * 2 }, (_, i) => `account-${i}`);

/** Transfer i: from one account to another of a different owner, spread over every account. */
function pair(i: number): [string, string] {
  const from = (i * 7) % accounts.length;
  const to = (from + 1 + 2 * (i % (owners - 1))) % accounts.length;
  return [accounts[from]!, accounts[to]!];
}

/** A fresh accounts table (the reference's schema), every account rich enough that every transfer is "ok". */
async function freshBank(pool: pg.Pool) {
  await pool.query("DROP TABLE IF EXISTS accounts");
  const { createBank } = await import("../../../solutions/bank-transfers/index.ts");
  const bank = createBank({ pg: pool, isolation: "read committed", maxRetries: 10 });
  await bank.migrate();
  for (const [i, id] of accounts.entries()) await bank.open(`owner-${i % owners}`, id, 1_000_000_000n);
  return bank;
}

/**
 * transfer() of the reference against the least the spec's work takes, sent by hand on a
 * checked-out connection: BEGIN at the level, one SELECT ... FOR UPDATE of the debited
 * owner's accounts and the credited one in id order, the owner's total checked, one
 * UPDATE of both balances, COMMIT. No validation, retry loop, error classes or stats.
 */
export const bankTransfersBench: ThroughputBench = {
  challenge: "bank-transfers",
  services: ["postgres"],
  unit: "transfers/s",
  referenceName: "transfer() at READ COMMITTED (64 accounts of 32 owners)",
  limitName: "BEGIN, one SELECT ... ORDER BY id FOR UPDATE, one UPDATE, COMMIT by hand",
  concurrency,
  async reference({ pg }) {
    const bank = await freshBank(pg!);
    const transfer = (i: number) => bank.transfer(...pair(i), 1n);
    await callsPerSecond(300, concurrency, transfer);
    return callsPerSecond(total, concurrency, transfer);
  },
  async limit({ pg }) {
    await freshBank(pg!);
    const transfer = async (i: number) => {
      const [from, to] = pair(i);
      const client = await pg!.connect();
      try {
        await client.query("BEGIN ISOLATION LEVEL READ COMMITTED");
        const rows = await client.query<{ id: string; owner: string; balance: string }>(
          "SELECT id, owner, balance FROM accounts WHERE id = ANY($2::text[]) OR owner = (SELECT owner FROM accounts WHERE id = $1) ORDER BY id FOR UPDATE",
          [from, [from, to]],
        );
        const owner = rows.rows.find((row) => row.id === from)!.owner;
        const held = rows.rows.filter((row) => row.owner === owner).reduce((sum, row) => sum + BigInt(row.balance), 0n);
        if (held >= 1n) await client.query("UPDATE accounts SET balance = balance + CASE WHEN id = $1 THEN -1 ELSE 1 END WHERE id IN ($1, $2)", [from, to]);
        await client.query("COMMIT");
      } finally {
        client.release();
      }
    };
    await callsPerSecond(300, concurrency, transfer);
    return callsPerSecond(total, concurrency, transfer);
  },
};
