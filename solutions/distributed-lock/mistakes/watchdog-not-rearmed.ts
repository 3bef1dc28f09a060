/**
 * Mistake: (abort too early) the watchdog is armed for the first lease's end and never
 * moved when an extension succeeds, so fn is aborted after ttlMs however well the lease was
 * kept alive.
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["auto-extend.outlives-ttl", "efficiency.extension-rate"];

export const mayFail = ["auto-extend.lost-lock-aborts"];

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, { ...referencePolicy, watchdog: "first-lease-only" });
}
