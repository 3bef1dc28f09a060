/**
 * Mistake: retries 40001 but not 40P01. A deadlock victim was rolled back so that the other
 * transaction could go on; running it again is exactly what it needs.
 */
import type { Bank, BankOptions } from "../../../challenges/bank-transfers/src/index.ts";
import { createPolicyBank, referencePolicy } from "../bank.ts";
export { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";

export const mustFail = ["retries.deadlock-detected"];

export function createBank(options: BankOptions): Bank {
  return createPolicyBank(options, { ...referencePolicy, transaction: { ...referencePolicy.transaction, retryable: (error) => (error as { code?: string })?.code === "40001" } });
}
