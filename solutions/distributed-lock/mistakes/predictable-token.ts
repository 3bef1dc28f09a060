/**
 * Mistake: a token made of the process id, the time and a counter. Unique, but anyone can
 * guess the current holder's token and release its lock.
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["mutual-exclusion.unguessable-token"];

let counter = 0;

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, { ...referencePolicy, newToken: () => `${process.pid}:${Date.now()}:${++counter}` });
}
