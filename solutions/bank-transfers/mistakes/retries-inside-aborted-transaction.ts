/**
 * Mistake: retries the work inside the same transaction. After 40001 or 40P01 Postgres
 * has aborted the transaction: every later statement fails with 25P02 ("current
 * transaction is aborted") until ROLLBACK. A retry needs a ROLLBACK and a new BEGIN, so
 * that its reads are fresh; this one re-sends the reads into the dead transaction.
 */
import type { Bank, BankOptions } from "../../../challenges/bank-transfers/src/index.ts";
import { createPolicyBank, referencePolicy } from "../bank.ts";
import { RetriesExhaustedError } from "../bank-errors.ts";
export { RetriesExhaustedError, UnknownAccountError } from "../bank-errors.ts";

export const mustFail = [
  "lost-update.repeatable-read",
  "write-skew.withdrawals-repeatable-read",
  "deadlocks.opposite-transfers",
  "retries.serialization-failure",
  "retries.deadlock-detected",
  "retries.gives-up",
  "invariants.random-workload",
];
// invariants.mixed-levels needs a retry only when the READ COMMITTED withdrawal wins the race for the locks.
export const mayFail = ["invariants.mixed-levels"];

export function createBank(options: BankOptions): Bank {
  return createPolicyBank(options, {
    ...referencePolicy,
    async run(pool, { isolation, maxRetries, policy, onRetry }, work) {
      const client = await pool.connect();
      try {
        await client.query(policy.begin(isolation));
        for (let attempt = 1; ; attempt++) {
          try {
            const result = await work(client);
            await client.query("COMMIT");
            return result;
          } catch (error) {
            if (!policy.retryable(error) || attempt > maxRetries) {
              await client.query("ROLLBACK").catch(() => {});
              throw policy.retryable(error) ? new RetriesExhaustedError(attempt, { cause: error }) : error;
            }
            onRetry();
          }
        }
      } finally {
        client.release();
      }
    },
  });
}
