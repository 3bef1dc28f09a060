/**
 * Mistake: ignores options.isolation and runs every transaction at the default level
 * (READ COMMITTED).
 */
import type { Bank, BankOptions } from "../../../challenges/bank-transfers/src/index.ts";
import { createPolicyBank, referencePolicy } from "../bank.ts";
export { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";

export const mustFail = ["basics.isolation-level"];

export function createBank(options: BankOptions): Bank {
  return createPolicyBank(options, { ...referencePolicy, transaction: { ...referencePolicy.transaction, begin: () => "BEGIN" } });
}
