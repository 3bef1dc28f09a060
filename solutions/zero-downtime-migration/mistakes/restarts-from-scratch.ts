/**
 * Mistake: batches by id but rewrites every row it passes, done or not: a backfill restarted after a crash writes the whole table again.
 */
import type { Pool } from "pg";
export { createPlan } from "../plan.ts";
export { runStep } from "../run-step.ts";
export { createAppV1, createAppV2 } from "../apps.ts";
export { EmailTakenError, LockTimeoutError } from "../errors.ts";

export const mustFail = ["backfill.resumes"];

export async function backfill(pg: Pool, options: { batchSize: number }): Promise<void> {
  let cursor = "0";
  for (;;) {
    const { rows } = await pg.query<{ last: string | null }>(
      "WITH batch AS (SELECT id FROM users WHERE id > $1 ORDER BY id LIMIT $2), done AS (UPDATE users u SET full_name = u.name FROM batch WHERE u.id = batch.id RETURNING 1) SELECT (SELECT max(id) FROM batch)::text AS last",
      [cursor, options.batchSize],
    );
    if (rows[0]?.last == null) return;
    cursor = rows[0].last;
  }
}
