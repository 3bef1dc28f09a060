import type { Pool } from "pg";

/**
 * Copies `name` into `full_name` in batches of at most `batchSize` rows in id order, one
 * statement (so one transaction) per batch. Rows that already have a `full_name` are
 * skipped, so a run that was killed simply starts again and rewrites nothing twice.
 */
export async function backfill(pg: Pool, options: { batchSize: number }): Promise<void> {
  let cursor = "0";
  for (;;) {
    const { rows } = await pg.query<{ last: string | null }>(
      `WITH batch AS (SELECT id FROM users WHERE id > $1 ORDER BY id LIMIT $2),
            done AS (UPDATE users u SET full_name = u.name FROM batch WHERE u.id = batch.id AND u.full_name IS NULL RETURNING 1)
       SELECT (SELECT max(id) FROM batch)::text AS last, (SELECT count(*) FROM done) AS updated`,
      [cursor, options.batchSize],
    );
    if (rows[0]?.last == null) return;
    cursor = rows[0].last;
  }
}
