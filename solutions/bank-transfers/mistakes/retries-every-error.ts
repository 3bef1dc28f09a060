/**
 * Mistake: retries whatever fails: a constraint violation, a bug, an unknown account. Errors
 * that will fail again are run maxRetries more times and come back as RetriesExhaustedError.
 */
import type { Bank, BankOptions } from "../../../challenges/bank-transfers/src/index.ts";
import { createPolicyBank, referencePolicy } from "../bank.ts";
export { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";

export const mustFail = ["retries.other-errors", "basics.validation"];

export function createBank(options: BankOptions): Bank {
  return createPolicyBank(options, { ...referencePolicy, transaction: { ...referencePolicy.transaction, retryable: () => true } });
}
