/**
 * Mistake: turns balances into JavaScript numbers (Number(row.balance)) before making
 * them bigints again. Exact up to 2^53 cents; past that, a balance is rounded to the
 * nearest double, and the owner's total and balances() are off by a cent or more.
 */
import type { Bank, BankOptions } from "../../../challenges/bank-transfers/src/index.ts";
import { createPolicyBank, referencePolicy } from "../bank.ts";
export { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";

export const mustFail = ["basics.accounts"];

export function createBank(options: BankOptions): Bank {
  return createPolicyBank(options, {
    ...referencePolicy,
    async balances(pool) {
      const result = await pool.query<{ id: string; balance: string }>("SELECT id, balance FROM accounts");
      return new Map(result.rows.map((row) => [row.id, BigInt(Number(row.balance))]));
    },
    toCents: (value) => BigInt(Number(value)),
  });
}
