/**
 * Mistake: when Postgres fails a statement, gives the connection back to the pool without
 * ROLLBACK, as if the failed transaction had ended by itself. It has not: the next caller
 * that gets the connection (a retry included) sees "current transaction is aborted"
 * (25P02) on every statement.
 */
import type { Bank, BankOptions } from "../../../challenges/bank-transfers/src/index.ts";
import { createPolicyBank, referencePolicy } from "../bank.ts";
export { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";

export const mustFail = ["lost-update.repeatable-read", "write-skew.withdrawals-repeatable-read", "deadlocks.opposite-transfers", "retries.serialization-failure", "retries.deadlock-detected", "retries.gives-up", "retries.other-errors", "invariants.random-workload"];
// invariants.mixed-levels needs a retry only when the READ COMMITTED withdrawal wins the race for the locks.
export const mayFail = ["invariants.mixed-levels"];

export function createBank(options: BankOptions): Bank {
  return createPolicyBank(options, { ...referencePolicy, transaction: { ...referencePolicy.transaction, rollback: (error) => !(error as { severity?: string })?.severity } });
}
