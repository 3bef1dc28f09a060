/**
 * Mistake: reads the balances with a plain SELECT (no FOR UPDATE), then writes the new
 * balances computed in JavaScript. Every transaction that read before the first one
 * committed writes over it: a lost update, and the owner's total is checked against
 * balances that other transactions are changing.
 */
import type { Bank, BankOptions } from "../../../challenges/bank-transfers/src/index.ts";
import { createPolicyBank, referencePolicy } from "../bank.ts";
export { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";

export const mustFail = ["lost-update.read-committed", "write-skew.withdrawals-repeatable-read", "write-skew.transfers-read-committed", "invariants.random-workload", "invariants.mixed-levels"];
// Its one UPDATE locks the rows in (from, to) order: opposite transfers that reach it together may deadlock.
export const mayFail = ["deadlocks.opposite-transfers"];

export function createBank(options: BankOptions): Bank {
  return createPolicyBank(options, {
    ...referencePolicy,
    async lockRows(client, ownerOf, ids) {
      const result = await client.query(
        "SELECT id, owner, balance FROM accounts WHERE id = ANY($2::text[]) OR owner = (SELECT owner FROM accounts WHERE id = $1) ORDER BY id",
        [ownerOf, ids],
      );
      return result.rows;
    },
    async apply(client, changes) {
      await client.query(
        "UPDATE accounts SET balance = change.balance FROM unnest($1::text[], $2::bigint[]) AS change(id, balance) WHERE accounts.id = change.id",
        [changes.map(([id]) => id), changes.map(([, delta, before]) => (before + delta).toString())],
      );
    },
  });
}
