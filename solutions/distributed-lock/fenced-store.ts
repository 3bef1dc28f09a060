/** The protected resource: a value per resource that only accepts writes with the newest fence. */
import type { Pool } from "pg";
import type { FencedStore } from "../../challenges/distributed-lock/src/index.ts";

export const fencedStoreSchema = `
CREATE TABLE IF NOT EXISTS fenced_values (
  resource text PRIMARY KEY,
  fence bigint NOT NULL,
  value text NOT NULL
)`;

export function createFencedStore({ pg }: { pg: Pool }): FencedStore {
  return {
    async migrate() {
      await pg.query(fencedStoreSchema);
    },
    async write(resource, fence, value) {
      // One statement: the upsert locks the row, and the WHERE is checked against the newest version of it.
      const result = await pg.query(
        `INSERT INTO fenced_values (resource, fence, value) VALUES ($1, $2, $3)
         ON CONFLICT (resource) DO UPDATE SET fence = EXCLUDED.fence, value = EXCLUDED.value
         WHERE fenced_values.fence <= EXCLUDED.fence`,
        [resource, fence, value],
      );
      return result.rowCount === 1 ? "ok" : "stale";
    },
    async read(resource) {
      const result = await pg.query<{ value: string }>("SELECT value FROM fenced_values WHERE resource = $1", [resource]);
      return result.rows[0]?.value ?? null;
    },
  };
}
