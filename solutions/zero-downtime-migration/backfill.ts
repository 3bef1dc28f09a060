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
      // The bound comes from the primary key; the UPDATE then walks that id range by index (a join on the batch would scan the table).
      `WITH bound AS (SELECT max(id) AS last FROM (SELECT id FROM users WHERE id > $1 ORDER BY id LIMIT $2) AS batch),
            done AS (UPDATE users SET full_name = name WHERE id > $1 AND id <= (SELECT last FROM bound) AND full_name IS NULL RETURNING 1)
       SELECT (SELECT last FROM bound)::text AS last, (SELECT count(*) FROM done) AS updated`,
      [cursor, options.batchSize],
    );
    if (rows[0]?.last == null) return;
    cursor = rows[0].last;
  }
}
