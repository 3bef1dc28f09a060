/**
 * Mistake: the accounts table has its primary key but no index on owner. Every debit
 * looks up the owner's accounts, so every debit reads the whole table: invisible on ten
 * accounts, a sequential scan of every account under a real bank's load.
 */
import type { Bank, BankOptions } from "../../../challenges/bank-transfers/src/index.ts";
import { createPolicyBank, referencePolicy } from "../bank.ts";
export { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";

export const mustFail = ["efficiency.no-full-scans"];

export function createBank(options: BankOptions): Bank {
  return createPolicyBank(options, {
    ...referencePolicy,
    schema: "CREATE TABLE IF NOT EXISTS accounts (id text PRIMARY KEY, owner text NOT NULL, balance bigint NOT NULL);",
  });
}
