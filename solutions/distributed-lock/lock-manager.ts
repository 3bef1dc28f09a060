/**
 * Leases over LockCommands: retries, conservative local expiry, and using() with
 * auto-extension and a watchdog. See NOTES.md.
 */
import { randomBytes } from "node:crypto";
import type { Lease, LockManager, LockOptions, RetryOptions } from "../../challenges/distributed-lock/src/index.ts";
import { luaLockCommands, type LockCommands } from "./lock-commands.ts";
import { LockBusyError, LockLostError } from "./lock-errors.ts";

/** The choices a lock manager makes; the reference's are `referencePolicy`. */
export interface LockPolicy {
  commands(options: LockOptions, prefix: string): LockCommands;
  newToken(): string;
  /** Wait before the `retry`-th retry (1-based). */
  retryWaitMs(retry: RetryOptions, attempt: number): number;
  /** Total tries of one acquire(). */
  tries(retry: RetryOptions | undefined): number;
  /** Time between two extensions while using() runs fn. */
  extendEveryMs(ttlMs: number): number;
  /** A lock won after its lease had already run out locally: give it back, and count the try as failed. */
  lateWin: "give-back" | "return-lease" | "drop";
  /** Abort fn when the lease runs out unconfirmed: re-armed on each extension, or not at all. */
  watchdog: "rearmed" | "first-lease-only" | "none";
  /** Where a lease's local expiry is measured from: before the command was sent, or when its reply came. */
  measureFrom: "send" | "reply";
  /** When the lock is lost: reject using() at once, or only once fn settles. */
  whenLost: "reject-at-once" | "wait-for-fn";
  /** Release after fn: whenever it settles, or only when it resolves. */
  releaseAfter: "settled" | "resolved";
}

export const referencePolicy: LockPolicy = {
  commands: ({ redis }, prefix) => luaLockCommands(redis, prefix),
  newToken: () => randomBytes(16).toString("base64url"),
  retryWaitMs: ({ delayMs, jitterMs = 0 }) => delayMs + Math.random() * jitterMs,
  tries: (retry) => 1 + (retry?.attempts ?? 0),
  extendEveryMs: (ttlMs) => ttlMs / 3,
  lateWin: "give-back",
  watchdog: "rearmed",
  measureFrom: "send",
  whenLost: "reject-at-once",
  releaseAfter: "settled",
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class RedisLease implements Lease {
  #expiresAt: number;
  constructor(
    private readonly commands: LockCommands,
    private readonly ttlMs: number,
    private readonly measureFrom: LockPolicy["measureFrom"],
    readonly resource: string,
    readonly token: string,
    readonly fence: number,
    expiresAt: number,
  ) {
    this.#expiresAt = expiresAt;
  }

  get expiresAt(): number {
    return this.#expiresAt;
  }

  async extend(ms: number = this.ttlMs): Promise<boolean> {
    // Measured from before the send: Redis sets the TTL later than that, never earlier.
    const sentAt = Date.now();
    const extended = await this.commands.extend(this.resource, this.token, ms);
    if (extended) this.#expiresAt = (this.measureFrom === "send" ? sentAt : Date.now()) + ms;
    return extended;
  }

  release(): Promise<boolean> {
    return this.commands.release(this.resource, this.token);
  }
}

export function createPolicyLockManager(options: LockOptions, policy: LockPolicy): LockManager {
  const { ttlMs, retry } = options;
  const commands = policy.commands(options, options.prefix ?? "lock:");

  async function acquire(resource: string): Promise<Lease | null> {
    const tries = policy.tries(retry);
    for (let attempt = 1; ; attempt++) {
      const token = policy.newToken();
      const sentAt = Date.now();
      const fence = await commands.acquire(resource, token, ttlMs);
      if (fence !== null) {
        const lease = new RedisLease(commands, ttlMs, policy.measureFrom, resource, token, fence, (policy.measureFrom === "send" ? sentAt : Date.now()) + ttlMs);
        if (Date.now() < lease.expiresAt || policy.lateWin === "return-lease") return lease;
        // Won, but the reply came too late to use it: hand it back so nobody waits for it.
        if (policy.lateWin === "give-back") await lease.release().catch(() => false);
      }
      if (attempt >= tries) return null;
      await sleep(policy.retryWaitMs(retry!, attempt));
    }
  }

  async function using<T>(resource: string, fn: (signal: AbortSignal, lease: Lease) => Promise<T>): Promise<T> {
    const lease = await acquire(resource);
    if (!lease) throw new LockBusyError(resource);
    const controller = new AbortController();
    let rejectLost!: (error: LockLostError) => void;
    const lost = new Promise<never>((_, reject) => (rejectLost = reject));
    lost.catch(() => {});
    let done = false;
    let extendTimer: NodeJS.Timeout | undefined;
    let watchdogTimer: NodeJS.Timeout | undefined;

    const lose = (cause?: unknown) => {
      if (done || controller.signal.aborted) return;
      const error = new LockLostError(resource, { cause });
      controller.abort(error);
      rejectLost(error);
    };
    const armWatchdog = () => {
      clearTimeout(watchdogTimer);
      watchdogTimer = setTimeout(() => lose(new Error("the lease ran out before an extension was confirmed")), lease.expiresAt - Date.now());
    };
    const scheduleExtension = () => {
      extendTimer = setTimeout(async () => {
        try {
          if (!(await lease.extend())) return lose(new Error("another holder has the lock"));
          if (policy.watchdog === "rearmed") armWatchdog();
        } catch {
          // Redis unreachable: keep trying; the watchdog aborts fn if the lease runs out first.
        }
        if (!done && !controller.signal.aborted) scheduleExtension();
      }, policy.extendEveryMs(ttlMs));
    };
    if (policy.watchdog !== "none") armWatchdog();
    scheduleExtension();

    const running = Promise.resolve().then(() => fn(controller.signal, lease));
    running.catch(() => {});
    let resolved = false;
    try {
      const value = policy.whenLost === "reject-at-once" ? await Promise.race([running, lost]) : await running;
      if (controller.signal.aborted) throw controller.signal.reason;
      resolved = true;
      return value;
    } finally {
      done = true;
      clearTimeout(extendTimer);
      clearTimeout(watchdogTimer);
      if (!controller.signal.aborted && (resolved || policy.releaseAfter === "settled")) await lease.release().catch(() => false);
    }
  }

  return { acquire, using };
}

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, referencePolicy);
}
