/**
 * Mistake: locks the debited owner's accounts, but reads the credited account without a
 * lock, and writes both new balances as values computed in JavaScript
 * (SET balance = $new). Two transfers from different owners into one account both read
 * its old balance; at READ COMMITTED the second write replaces the first: a lost credit.
 * Each debit alone is correct, so only a workload with concurrent credits shows it.
 */
import type { Bank, BankOptions } from "../../../challenges/bank-transfers/src/index.ts";
import { createPolicyBank, referencePolicy } from "../bank.ts";
export { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";

// Opposite transfers each hold their own side and then write the other's row: a deadlock every time.
export const mustFail = ["invariants.random-workload", "deadlocks.opposite-transfers"];

export function createBank(options: BankOptions): Bank {
  return createPolicyBank(options, {
    ...referencePolicy,
    async lockRows(client, ownerOf, ids) {
      const debited = await client.query(
        "SELECT id, owner, balance FROM accounts WHERE id = $1 OR owner = (SELECT owner FROM accounts WHERE id = $1) ORDER BY id FOR UPDATE",
        [ownerOf],
      );
      const credited = await client.query("SELECT id, owner, balance FROM accounts WHERE id = ANY($1::text[]) AND id <> $2", [ids, ownerOf]);
      return [...debited.rows, ...credited.rows.filter((row) => !debited.rows.some((other) => other.id === row.id))];
    },
    async apply(client, changes) {
      for (const [id, delta, before] of changes) await client.query("UPDATE accounts SET balance = $2 WHERE id = $1", [id, (before + delta).toString()]);
    },
  });
}
