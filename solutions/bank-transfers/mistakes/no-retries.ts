/**
 * Mistake: never retries. Every 40001 and 40P01 reaches the caller, though Postgres says
 * "try again": under REPEATABLE READ and SERIALIZABLE, any contention fails calls.
 */
import type { Bank, BankOptions } from "../../../challenges/bank-transfers/src/index.ts";
import { createPolicyBank, referencePolicy } from "../bank.ts";
export { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";

export const mustFail = ["lost-update.repeatable-read", "write-skew.withdrawals-repeatable-read", "deadlocks.opposite-transfers", "retries.serialization-failure", "retries.deadlock-detected", "retries.gives-up", "invariants.random-workload"];
// invariants.mixed-levels needs a retry only when the READ COMMITTED withdrawal wins the race for the locks.
export const mayFail = ["invariants.mixed-levels"];

export function createBank(options: BankOptions): Bank {
  return createPolicyBank(options, { ...referencePolicy, transaction: { ...referencePolicy.transaction, retryable: () => false } });
}
