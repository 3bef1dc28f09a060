/**
 * Mistake: (abort too late) fn is aborted only when an extension answers false. When Redis
 * stops, every extension fails with an error and fn never hears of it; when Redis hangs,
 * no extension answers at all until it recovers, long after the lease ran out.
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["resilience.redis-stops", "resilience.redis-hangs"];

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, { ...referencePolicy, watchdog: "none" });
}
