/**
 * Mistake: expiresAt is measured from the reply (Date.now() + ttlMs after SET answered).
 * When Redis answers late, acquire hands out a lease that had already run out, and the holder
 * believes it has a full ttlMs.
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["contention.never-expired"];

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, { ...referencePolicy, measureFrom: "reply" });
}
