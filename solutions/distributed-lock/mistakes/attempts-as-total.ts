/**
 * Mistake: (too early) attempts read as the total number of tries: attempts 3 makes 3 tries
 * and 2 waits, so acquire gives up a whole delay early (twice as early for attempts 2).
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["contention.gives-up-on-time"];

export const mayFail = ["contention.jitter"];

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, { ...referencePolicy, tries: (retry) => Math.max(1, retry?.attempts ?? 1) });
}
