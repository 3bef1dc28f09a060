/**
 * Mistake: reads a batch of names, then writes them back in a second statement: a rename that lands in between is overwritten with the old name.
 */
import type { Pool } from "pg";
export { createPlan } from "../plan.ts";
export { runStep } from "../run-step.ts";
export { createAppV1, createAppV2 } from "../apps.ts";
export { EmailTakenError, LockTimeoutError } from "../errors.ts";

export const mustFail = ["backfill.no-lost-update"];
// The whole story runs the backfill under v1 traffic too, where the race is real but not forced.
export const mayFail = ["contract.v2-alone"];

export async function backfill(pg: Pool, options: { batchSize: number }): Promise<void> {
  for (;;) {
    const { rows } = await pg.query<{ id: string; name: string }>("SELECT id::text AS id, name FROM users WHERE full_name IS NULL ORDER BY id LIMIT $1", [options.batchSize]);
    if (rows.length === 0) return;
    await pg.query("UPDATE users u SET full_name = v.name FROM unnest($1::bigint[], $2::text[]) AS v(id, name) WHERE u.id = v.id", [rows.map((r) => r.id), rows.map((r) => r.name)]);
  }
}
