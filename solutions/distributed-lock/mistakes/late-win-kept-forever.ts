/**
 * Mistake: a lock won too late is reported as not acquired, but left in Redis: everybody
 * else waits for its TTL to run out.
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["contention.never-expired"];

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, { ...referencePolicy, lateWin: "drop" });
}
