/**
 * Mistake: (too late) using() extends once per ttlMs. The extension arrives when the key
 * has just expired, so the lease lapses; and a lost lock is noticed a whole ttlMs late.
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["auto-extend.outlives-ttl", "auto-extend.lost-lock-aborts"];

export const mayFail = ["efficiency.extension-rate"];

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, { ...referencePolicy, extendEveryMs: (ttlMs) => ttlMs });
}
