/**
 * Mistake: locks the debited owner's accounts, then the credited account, in two
 * statements. A→B holds A and waits for B while B→A holds B and waits for A: Postgres
 * finds the deadlock after deadlock_timeout and kills one of them (40P01). It is retried,
 * so callers never see it, but every transfer pair pays for a deadlock.
 */
import type { Bank, BankOptions } from "../../../challenges/bank-transfers/src/index.ts";
import { createPolicyBank, referencePolicy } from "../bank.ts";
export { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";

export const mustFail = ["deadlocks.opposite-transfers"];

export function createBank(options: BankOptions): Bank {
  return createPolicyBank(options, {
    ...referencePolicy,
    async lockRows(client, ownerOf, ids) {
      const debited = await client.query(
        "SELECT id, owner, balance FROM accounts WHERE id = $1 OR owner = (SELECT owner FROM accounts WHERE id = $1) ORDER BY id FOR UPDATE",
        [ownerOf],
      );
      const credited = await client.query("SELECT id, owner, balance FROM accounts WHERE id = ANY($1::text[]) AND id <> $2 FOR UPDATE", [ids, ownerOf]);
      return [...debited.rows, ...credited.rows.filter((row) => !debited.rows.some((other) => other.id === row.id))];
    },
  });
}
