/**
 * Mistake: (too early) using() extends every 5 ms "to be safe": no safer than every
 * ttlMs/3, and a hundred times the load on Redis.
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["efficiency.extension-rate"];

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, { ...referencePolicy, extendEveryMs: () => 5 });
}
