import type { Pool, PoolClient } from "pg";
import type { RunOptions, Step } from "../../challenges/zero-downtime-migration/src/index.ts";
import { LockTimeoutError } from "./errors.ts";

const lockNotAvailable = "55P03";
const concurrentIndex = /^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(?:IF\s+NOT\s+EXISTS\s+)?("?[\w.]+"?)\s+ON\b/i;

/** Choices a flawed runner makes differently (see mistakes/). */
export interface RunnerPolicy {
  /** How one attempt sets its lock timeout; null sets none. */
  lockTimeout: ((ms: number) => string) | null;
  /** Which errors earn another attempt. */
  retryable(error: unknown): boolean;
  /** Total attempts for `retries`. */
  attempts(retries: number): number;
  /** Wait before attempt `next` (2, 3, ...). */
  delay(retryDelayMs: number, next: number): number;
  /** Drop an INVALID index left by a failed concurrent build before building it again. */
  rebuildInvalidIndexes: boolean;
}

export const referenceRunner: RunnerPolicy = {
  lockTimeout: (ms) => `SET lock_timeout = ${Math.max(1, Math.round(ms))}`,
  retryable: (error) => (error as { code?: string })?.code === lockNotAvailable,
  attempts: (retries) => retries + 1,
  delay: (retryDelayMs) => retryDelayMs,
  rebuildInvalidIndexes: true,
};

async function prepareIndex(client: PoolClient, sql: string): Promise<"build" | "done"> {
  const name = concurrentIndex.exec(sql)?.[1];
  if (!name) return "build";
  const found = await client.query<{ valid: boolean }>("SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass($1)", [name]);
  if (found.rows[0]?.valid) return "done";
  // A failed concurrent build leaves an INVALID index that IF NOT EXISTS would happily skip.
  if (found.rows.length > 0) await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
  return "build";
}

async function attempt(pg: Pool, step: Step, lockTimeoutMs: number, policy: RunnerPolicy): Promise<void> {
  const client = await pg.connect();
  let broken: Error | undefined;
  try {
    if (step.transactional) {
      await client.query("BEGIN");
      try {
        if (policy.lockTimeout) await client.query(policy.lockTimeout(lockTimeoutMs).replace(/^SET /, "SET LOCAL "));
        await client.query(step.sql);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      }
    } else {
      if (policy.lockTimeout) await client.query(policy.lockTimeout(lockTimeoutMs));
      try {
        if (policy.rebuildInvalidIndexes && (await prepareIndex(client, step.sql)) === "done") return;
        await client.query(step.sql);
      } finally {
        // Pooled connections go back to the app: it must not inherit our lock timeout.
        if (policy.lockTimeout) await client.query("RESET lock_timeout").catch((error: Error) => (broken = error));
      }
    }
  } finally {
    client.release(broken);
  }
}

/** runStep with the flaws of `policy`. */
export function createRunStep(policy: RunnerPolicy = referenceRunner) {
  return async function runStep(pg: Pool, step: Step, options: RunOptions): Promise<void> {
    const attempts = policy.attempts(options.retries);
    for (let n = 1; ; n++) {
      try {
        await attempt(pg, step, options.lockTimeoutMs, policy);
        return;
      } catch (error) {
        if (!policy.retryable(error)) throw error;
        if (n >= attempts) throw new LockTimeoutError(step.name, n, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, policy.delay(options.retryDelayMs, n + 1)));
      }
    }
  };
}

export const runStep = createRunStep();
