/** Hooks on the results a pool hands back (not a test file). */
import type pg from "pg";
import { interceptResults, type InstrumentedPool } from "../../../harness/testing/index.ts";

/** Counts query results that contain `text` in any row, e.g. a unique post body. */
export function watchResults(pool: InstrumentedPool, text: string) {
  const seen = { results: 0 };
  interceptResults(pool, (result) => {
    const rows = Array.isArray(result) ? (result as pg.QueryResult[]).map((one) => one.rows) : result?.rows;
    if (rows && JSON.stringify(rows).includes(text)) seen.results++;
  });
  return seen;
}
