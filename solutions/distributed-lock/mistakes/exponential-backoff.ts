/**
 * Mistake: (too late) exponential backoff that was never asked for: each wait doubles
 * (capped at 8 × delayMs), so acquire({ attempts: 3, delayMs: 200 }) gives up after 1.4 s
 * instead of 0.6 s.
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["contention.gives-up-on-time"];

export const mayFail = ["contention.jitter"];

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, {
    ...referencePolicy,
    retryWaitMs: ({ delayMs, jitterMs = 0 }, attempt) => delayMs * Math.min(8, 2 ** (attempt - 1)) + Math.random() * jitterMs,
  });
}
