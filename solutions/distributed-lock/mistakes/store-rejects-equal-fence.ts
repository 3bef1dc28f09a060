/**
 * Mistake: the store accepts only a fence strictly greater than the last one, so a holder
 * cannot write twice under the same lease.
 */
export { createLockManager } from "../lock-manager.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";
import type { Pool } from "pg";
import type { FencedStore } from "../../../challenges/distributed-lock/src/index.ts";
import { createFencedStore as referenceStore } from "../fenced-store.ts";

export const mustFail = ["fencing.store-rules"];

export function createFencedStore({ pg }: { pg: Pool }): FencedStore {
  const store = referenceStore({ pg });
  return {
    ...store,
    async write(resource, fence, value) {
      const result = await pg.query(
        `INSERT INTO fenced_values (resource, fence, value) VALUES ($1, $2, $3)
         ON CONFLICT (resource) DO UPDATE SET fence = EXCLUDED.fence, value = EXCLUDED.value
         WHERE fenced_values.fence < EXCLUDED.fence`,
        [resource, fence, value],
      );
      return result.rowCount === 1 ? "ok" : "stale";
    },
  };
}
