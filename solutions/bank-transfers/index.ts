/**
 * Reference solution: every transfer and withdrawal is one transaction at the given level
 * that locks the debited owner's accounts and the credited account in id order
 * (SELECT ... ORDER BY id FOR UPDATE), checks the owner's total, and applies both changes
 * in one UPDATE; 40001 and 40P01 re-run the whole transaction. See NOTES.md.
 */
import type { Bank, BankOptions } from "../../challenges/bank-transfers/src/index.ts";
import { createPolicyBank, referencePolicy } from "./bank.ts";
export type { Bank, BankOptions, Isolation } from "../../challenges/bank-transfers/src/index.ts";
export { RetriesExhaustedError, UnknownAccountError } from "./bank-errors.ts";

export function createBank(options: BankOptions): Bank {
  return createPolicyBank(options, referencePolicy);
}
