/**
 * Mistake: finds the rows a debit needs, then locks them one query per account (in id
 * order, so it never deadlocks) and updates each account with a query of its own. Correct,
 * but its round trips grow with the number of accounts the owner holds: 12 for a transfer
 * from an owner of six accounts, where one SELECT ... FOR UPDATE and one UPDATE do.
 */
import type { Bank, BankOptions } from "../../../challenges/bank-transfers/src/index.ts";
import { createPolicyBank, referencePolicy } from "../bank.ts";
export { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";

export const mustFail = ["efficiency.queries-per-call"];

export function createBank(options: BankOptions): Bank {
  return createPolicyBank(options, {
    ...referencePolicy,
    async lockRows(client, ownerOf, ids) {
      const owner = await client.query<{ owner: string }>("SELECT owner FROM accounts WHERE id = $1", [ownerOf]);
      const wanted = await client.query<{ id: string }>("SELECT id FROM accounts WHERE id = ANY($1::text[]) OR owner = $2 ORDER BY id", [ids, owner.rows[0]?.owner ?? null]);
      const rows = [];
      for (const { id } of wanted.rows) {
        const locked = await client.query("SELECT id, owner, balance FROM accounts WHERE id = $1 FOR UPDATE", [id]);
        rows.push(...locked.rows);
      }
      return rows;
    },
    async apply(client, changes) {
      for (const [id, delta] of changes) await client.query("UPDATE accounts SET balance = balance + $2 WHERE id = $1", [id, delta.toString()]);
    },
  });
}
