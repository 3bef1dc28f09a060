/**
 * Mistake: the lock is released only when fn succeeds; when fn throws, the lock stays
 * until its TTL runs out.
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["auto-extend.released-on-throw"];

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, { ...referencePolicy, releaseAfter: "resolved" });
}
