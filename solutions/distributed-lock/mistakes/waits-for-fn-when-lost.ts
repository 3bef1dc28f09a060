/**
 * Mistake: when the lock is lost, the signal aborts but using() waits for fn to settle
 * before rejecting: an fn that ignores its signal keeps the caller waiting with no lock.
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["auto-extend.lost-lock-aborts"];

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, { ...referencePolicy, whenLost: "wait-for-fn" });
}
