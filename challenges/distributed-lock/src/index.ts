/**
 * Distributed lock with fencing tokens — your implementation goes here.
 * The spec is in ../README.md. Grade it with: npm run grade distributed-lock
 */
import type { Redis } from "ioredis";
import type { Pool } from "pg";

export interface RetryOptions {
  /** Tries after the first one; 0 means a single try. */
  attempts: number;
  /** Wait between two tries, in milliseconds. */
  delayMs: number;
  /** Extra random wait, uniform in [0, jitterMs], added to each delay; default 0. */
  jitterMs?: number;
}

export interface LockOptions {
  /** Connected client, provided by the caller. Don't quit() it. */
  redis: Redis;
  /** Lease length in milliseconds. */
  ttlMs: number;
  /** How acquire() retries while the lock is taken; default: a single try. */
  retry?: RetryOptions;
  /** Key prefix; default "lock:". */
  prefix?: string;
}

export interface Lease {
  readonly resource: string;
  /** At least 128 random bits; identifies this holder. */
  readonly token: string;
  /** Greater than every fence granted before it for this resource. */
  readonly fence: number;
  /** Local time (Date.now() ms) from which the holder must consider the lock lost. */
  readonly expiresAt: number;
  /** Sets the remaining lease to `ms` (default ttlMs) if this holder still owns the lock. */
  extend(ms?: number): Promise<boolean>;
  /** Deletes the lock if this holder still owns it. */
  release(): Promise<boolean>;
}

export interface LockManager {
  /** A lease, or null when the lock stays taken through every try. */
  acquire(resource: string): Promise<Lease | null>;
  /** Runs fn while holding the lock, extending it; releases it when fn settles. */
  using<T>(resource: string, fn: (signal: AbortSignal, lease: Lease) => Promise<T>): Promise<T>;
}

export interface FencedStore {
  /** Creates what the store needs; safe to run again. */
  migrate(): Promise<void>;
  write(resource: string, fence: number, value: string): Promise<"ok" | "stale">;
  read(resource: string): Promise<string | null>;
}

/** Thrown by the parts you have not written yet; the grader reports them as "not implemented". */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}

/** using() could not get the lock (every try found it taken). */
export class LockBusyError extends Error {
  override name = "LockBusyError";
  readonly code = "LOCK_BUSY";
  constructor(readonly resource: string) {
    super(`lock "${resource}" is held by someone else`);
  }
}

/** using() lost the lock while fn was running (taken over, or not confirmed in time). */
export class LockLostError extends Error {
  override name = "LockLostError";
  readonly code = "LOCK_LOST";
  constructor(
    readonly resource: string,
    options?: { cause?: unknown },
  ) {
    super(`lock "${resource}" was lost`, options);
  }
}

export function createLockManager(options: LockOptions): LockManager {
  throw new NotImplementedError("createLockManager");
}

export function createFencedStore(options: { pg: Pool }): FencedStore {
  throw new NotImplementedError("createFencedStore");
}
