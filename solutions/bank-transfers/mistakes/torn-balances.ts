/**
 * Mistake: balances() lists the accounts, then reads each balance with a query of its
 * own. At READ COMMITTED each query sees the database as of its own start: a transfer
 * that commits between two of them is seen half done, so the total drifts.
 */
import type { Bank, BankOptions } from "../../../challenges/bank-transfers/src/index.ts";
import { createPolicyBank, referencePolicy } from "../bank.ts";
export { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";

// One query per account is also over the efficiency stage's budget of 3 for balances().
export const mustFail = ["invariants.one-snapshot", "efficiency.queries-per-call"];
// Concurrent transfers usually commit between its reads in the random workload too.
export const mayFail = ["invariants.random-workload"];

export function createBank(options: BankOptions): Bank {
  return createPolicyBank(options, {
    ...referencePolicy,
    async balances(pool) {
      const ids = await pool.query<{ id: string }>("SELECT id FROM accounts ORDER BY id");
      const balances = new Map<string, bigint>();
      for (const { id } of ids.rows) {
        const row = await pool.query<{ balance: string }>("SELECT balance FROM accounts WHERE id = $1", [id]);
        balances.set(id, BigInt(row.rows[0]!.balance));
      }
      return balances;
    },
  });
}
