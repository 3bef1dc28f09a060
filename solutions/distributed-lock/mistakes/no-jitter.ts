/**
 * Mistake: retries ignore jitterMs, so callers that found the lock taken at the same moment
 * retry in lockstep, and collide again on every try.
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["contention.jitter"];

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, { ...referencePolicy, retryWaitMs: ({ delayMs }) => delayMs });
}
