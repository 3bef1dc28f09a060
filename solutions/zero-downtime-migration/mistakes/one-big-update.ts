/**
 * Mistake: one UPDATE of the whole table: every row lock is held until it commits (v1 writes queue behind it), the WAL and dead tuples come in one burst, and if it dies nothing is kept.
 */
import type { Pool } from "pg";
export { createPlan } from "../plan.ts";
export { runStep } from "../run-step.ts";
export { createAppV1, createAppV2 } from "../apps.ts";
export { EmailTakenError, LockTimeoutError } from "../errors.ts";

export const mustFail = ["backfill.batches", "backfill.resumes"];

export async function backfill(pg: Pool, options: { batchSize: number }): Promise<void> {
  void options;
  await pg.query("UPDATE users SET full_name = name WHERE full_name IS NULL");
}
