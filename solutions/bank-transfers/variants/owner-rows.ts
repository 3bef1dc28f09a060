/**
 * A correct variant built another way: the conflict is materialized on a row per owner.
 * Each call locks the owner rows involved (in owner order, one statement) and each debit bumps the debited owner's
 * version, so two debits of one owner always write the same row: READ COMMITTED makes the
 * second wait, REPEATABLE READ and SERIALIZABLE fail it with 40001, and it is re-run.
 * Balances live in their own table, credits are relative updates.
 */
import type pg from "pg";
import type { Bank, BankOptions } from "../../../challenges/bank-transfers/src/index.ts";
import { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";
export { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";

export function createBank({ pg: pool, isolation, maxRetries }: BankOptions): Bank {
  let retries = 0;
  async function transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let run = 1; ; run++) {
      const client = await pool.connect();
      try {
        await client.query(`BEGIN TRANSACTION ISOLATION LEVEL ${isolation}`);
        const value = await work(client);
        await client.query("COMMIT");
        client.release();
        return value;
      } catch (error) {
        try {
          await client.query("ROLLBACK");
          client.release();
        } catch (failure) {
          client.release(failure as Error);
        }
        const code = (error as { code?: string })?.code;
        if (code !== "40001" && code !== "40P01") throw error;
        if (run > maxRetries) throw new RetriesExhaustedError(run, { cause: error });
        retries++;
      }
    }
  }

  async function debit(from: string, to: string | null, cents: bigint): Promise<"ok" | "insufficient_funds"> {
    if (typeof cents !== "bigint" || cents <= 0n) throw new RangeError("cents must be a positive bigint");
    return transaction(async (client) => {
      const ids = to === null ? [from] : [from, to];
      // Every owner involved, locked in one statement in owner order: no two debits wait for each other in a circle.
      const owners = await client.query<{ account: string; owner: string }>(
        "SELECT o.account, w.owner FROM bank_ownership o JOIN bank_owners w ON w.owner = o.owner WHERE o.account = ANY($1::text[]) ORDER BY w.owner FOR UPDATE OF w",
        [ids],
      );
      const ownerOf = new Map(owners.rows.map((row) => [row.account, row.owner]));
      for (const id of ids) if (!ownerOf.has(id)) throw new UnknownAccountError(id);
      const payer = ownerOf.get(from)!;
      if (to === null || ownerOf.get(to) !== payer) {
        // The owner row is the conflict: every debit of this owner writes it.
        const held = await client.query<{ total: string }>(
          `WITH bump AS (UPDATE bank_owners SET version = version + 1 WHERE owner = $1)
           SELECT coalesce(sum(b.cents), 0)::text AS total FROM bank_balances b JOIN bank_ownership o ON o.account = b.account WHERE o.owner = $1`,
          [payer],
        );
        if (BigInt(held.rows[0]!.total) < cents) return "insufficient_funds";
      }
      await client.query("UPDATE bank_balances SET cents = cents + CASE WHEN account = $1 THEN -$3::numeric ELSE $3::numeric END WHERE account IN ($1, $2)", [from, to, cents.toString()]);
      return "ok";
    });
  }

  return {
    async migrate() {
      await pool.query(`
        CREATE TABLE IF NOT EXISTS bank_owners (owner text PRIMARY KEY, version bigint NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS bank_ownership (account text PRIMARY KEY, owner text NOT NULL REFERENCES bank_owners);
        CREATE INDEX IF NOT EXISTS bank_ownership_owner ON bank_ownership (owner);
        CREATE TABLE IF NOT EXISTS bank_balances (account text PRIMARY KEY REFERENCES bank_ownership, cents numeric(30, 0) NOT NULL);`);
    },
    async open(owner, accountId, cents) {
      if (typeof cents !== "bigint" || cents < 0n) throw new RangeError("cents must be a bigint >= 0n");
      await pool.query("INSERT INTO bank_owners (owner) VALUES ($1) ON CONFLICT DO NOTHING", [owner]);
      await pool.query("INSERT INTO bank_ownership (account, owner) VALUES ($1, $2) ON CONFLICT DO NOTHING", [accountId, owner]);
      await pool.query("INSERT INTO bank_balances (account, cents) VALUES ($1, $2)", [accountId, cents.toString()]);
    },
    async transfer(from, to, cents) {
      if (from === to) throw new RangeError("a transfer needs two accounts");
      return debit(from, to, cents);
    },
    withdraw: (accountId, cents) => debit(accountId, null, cents),
    async balances() {
      const result = await pool.query<{ account: string; cents: string }>("SELECT account, cents::text AS cents FROM bank_balances");
      return new Map(result.rows.map((row) => [row.account, BigInt(row.cents)]));
    },
    stats: () => ({ retries }),
  };
}
