/**
 * Reference solution: a single-Redis lease lock (SET NX PX + compare-and-delete/extend
 * scripts) with a fence counter per resource, and a Postgres store that rejects stale
 * fences. See NOTES.md.
 */
export type { FencedStore, Lease, LockManager, LockOptions, RetryOptions } from "../../challenges/distributed-lock/src/index.ts";
export { createLockManager } from "./lock-manager.ts";
export { createFencedStore } from "./fenced-store.ts";
export { LockBusyError, LockLostError } from "./lock-errors.ts";
