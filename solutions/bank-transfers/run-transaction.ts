import type pg from "pg";
import type { Isolation } from "../../challenges/bank-transfers/src/index.ts";
import { RetriesExhaustedError } from "./bank-errors.ts";

/** SQLSTATEs that mean "run the whole transaction again": serialization failure, deadlock detected. */
export const retryableCodes: ReadonlySet<string> = new Set(["40001", "40P01"]);

/** How a bank runs its transactions; each mistake in mistakes/ changes one of these. */
export interface TransactionPolicy {
  /** Whether a failure is worth a new run of the whole transaction. */
  retryable(error: unknown): boolean;
  /** Runs of a transaction in total, the first included. */
  attempts(maxRetries: number): number;
  /** The statement that opens a transaction. */
  begin(isolation: Isolation): string;
  /** Whether to roll back after `error`, before the connection goes back to the pool. */
  rollback(error: unknown): boolean;
}

export const referenceTransactionPolicy: TransactionPolicy = {
  retryable: (error) => retryableCodes.has((error as { code?: string })?.code ?? ""),
  attempts: (maxRetries) => 1 + maxRetries,
  begin: (isolation) => `BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}`,
  rollback: () => true,
};

/**
 * Runs `work` in a transaction at `isolation` on a connection of its own, and runs the
 * whole of it again (a new BEGIN, fresh reads) when it fails with a retryable error.
 */
export async function runTransaction<T>(
  pool: pg.Pool,
  options: { isolation: Isolation; maxRetries: number; policy: TransactionPolicy; onRetry(): void },
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const attempts = options.policy.attempts(options.maxRetries);
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(options.policy.begin(options.isolation));
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      // A failed COMMIT has already ended the transaction; ROLLBACK then only warns.
      if (options.policy.rollback(error)) await client.query("ROLLBACK").catch((failure: Error) => (broken = failure));
      if (!options.policy.retryable(error)) throw error;
      if (attempt >= attempts) throw new RetriesExhaustedError(attempt, { cause: error });
      options.onRetry();
    } finally {
      client.release(broken);
    }
  }
}
