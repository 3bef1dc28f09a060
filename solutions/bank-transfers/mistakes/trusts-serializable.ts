/**
 * Mistake: takes no row locks when it runs at SERIALIZABLE, trusting Postgres' serializable
 * snapshot isolation to turn every anomaly into a 40001 that is then retried. That holds
 * only among SERIALIZABLE transactions: a READ COMMITTED bank's debits are invisible to
 * SSI, so a serializable debit that read the owner's total before one committed still
 * commits, and the owner's accounts end below zero.
 */
import type { Bank, BankOptions } from "../../../challenges/bank-transfers/src/index.ts";
import { createPolicyBank, referencePolicy } from "../bank.ts";
export { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";

export const mustFail = ["invariants.mixed-levels"];
// The random workload catches it on about half of its runs; without locks, opposite serializable transfers update the same two rows in opposite orders.
export const mayFail = ["invariants.random-workload", "deadlocks.opposite-transfers"];

export function createBank(options: BankOptions): Bank {
  if (options.isolation !== "serializable") return createPolicyBank(options, referencePolicy);
  return createPolicyBank(options, {
    ...referencePolicy,
    async lockRows(client, ownerOf, ids) {
      const result = await client.query(
        "SELECT id, owner, balance FROM accounts WHERE id = ANY($2::text[]) OR owner = (SELECT owner FROM accounts WHERE id = $1)",
        [ownerOf, ids],
      );
      return result.rows;
    },
  });
}
