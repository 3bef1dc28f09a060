/**
 * Mistake: reads maxRetries as the total number of runs, so a transaction runs once less
 * than allowed.
 */
import type { Bank, BankOptions } from "../../../challenges/bank-transfers/src/index.ts";
import { createPolicyBank, referencePolicy } from "../bank.ts";
export { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";

export const mustFail = ["retries.serialization-failure", "retries.deadlock-detected", "retries.gives-up"];

export function createBank(options: BankOptions): Bank {
  return createPolicyBank(options, { ...referencePolicy, transaction: { ...referencePolicy.transaction, attempts: (maxRetries) => Math.max(1, maxRetries) } });
}
