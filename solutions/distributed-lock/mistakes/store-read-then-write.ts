/**
 * Mistake: the store SELECTs the current fence, compares in JavaScript, then upserts.
 * A newer write that commits between the SELECT and the upsert is overwritten by the older one.
 */
export { createLockManager } from "../lock-manager.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";
import type { Pool } from "pg";
import type { FencedStore } from "../../../challenges/distributed-lock/src/index.ts";
import { fencedStoreSchema } from "../fenced-store.ts";

export const mustFail = ["fencing.store-is-atomic"];

export function createFencedStore({ pg }: { pg: Pool }): FencedStore {
  return {
    async migrate() {
      await pg.query(fencedStoreSchema);
    },
    async write(resource, fence, value) {
      const current = await pg.query<{ fence: string }>("SELECT fence FROM fenced_values WHERE resource = $1", [resource]);
      if (current.rows[0] && Number(current.rows[0].fence) > fence) return "stale";
      await pg.query(
        "INSERT INTO fenced_values (resource, fence, value) VALUES ($1, $2, $3) ON CONFLICT (resource) DO UPDATE SET fence = EXCLUDED.fence, value = EXCLUDED.value",
        [resource, fence, value],
      );
      return "ok";
    },
    async read(resource) {
      const result = await pg.query<{ value: string }>("SELECT value FROM fenced_values WHERE resource = $1", [resource]);
      return result.rows[0]?.value ?? null;
    },
  };
}
