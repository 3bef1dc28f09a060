/**
 * Mistake: locks only the accounts it writes (FOR UPDATE), and reads the owner's other
 * accounts without a lock. Two debits of two accounts of one owner each lock their own
 * row, both see the old total, and both commit: write skew.
 */
import type { Bank, BankOptions } from "../../../challenges/bank-transfers/src/index.ts";
import { createPolicyBank, referencePolicy } from "../bank.ts";
export { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";

export const mustFail = ["write-skew.withdrawals-repeatable-read", "write-skew.transfers-read-committed", "invariants.mixed-levels"];
// The random workload usually drives an owner below zero too, but only when two of its debits meet.
export const mayFail = ["invariants.random-workload"];

export function createBank(options: BankOptions): Bank {
  return createPolicyBank(options, {
    ...referencePolicy,
    async lockRows(client, ownerOf, ids) {
      const locked = await client.query("SELECT id, owner, balance FROM accounts WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE", [ids]);
      const others = await client.query(
        "SELECT id, owner, balance FROM accounts WHERE owner = (SELECT owner FROM accounts WHERE id = $1) AND NOT id = ANY($2::text[])",
        [ownerOf, ids],
      );
      return [...locked.rows, ...others.rows];
    },
  });
}
