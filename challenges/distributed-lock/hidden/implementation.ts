import type { GradedContext } from "../../../harness/testing/index.ts";
import type { LockOptions } from "../src/index.ts";

/** The interface every implementation under test exports (the stub's). */
export type LockModule = typeof import("../src/index.ts");

export function load(t: GradedContext): Promise<LockModule> {
  return t.solution<LockModule>();
}

/** `count` lock managers, each on a connection of its own (as separate servers would be). */
export async function managers(t: GradedContext, count: number, options: Omit<LockOptions, "redis">) {
  const { createLockManager } = await load(t);
  const clients = await Promise.all(Array.from({ length: count }, () => t.redis()));
  return clients.map((redis) => ({ redis, manager: createLockManager({ ...options, redis }) }));
}

/** A fenced store on a pool of its own, migrated. */
export async function fencedStore(t: GradedContext) {
  const { createFencedStore } = await load(t);
  const pool = t.postgres();
  const store = createFencedStore({ pg: pool });
  await store.migrate();
  return { pool, store };
}
