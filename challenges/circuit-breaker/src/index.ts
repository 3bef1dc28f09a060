/**
 * Circuit breaker shared by a fleet through Redis — your implementation goes here.
 * The spec is in ../README.md. Grade it with: npm run grade circuit-breaker
 */
import type { Redis } from "ioredis";

export type BreakerState = "closed" | "open" | "half_open";

export interface BreakerOptions {
  /** Breakers with the same name (and prefix) share one state, on any connection. */
  name: string;
  /** Connected client, provided by the caller. Don't quit() it. */
  redis: Redis;
  /** How many of the most recent recorded outcomes the failure rate is computed over. */
  windowSize: number;
  /** Recorded outcomes needed in the window before the breaker may open (<= windowSize). */
  minimumCalls: number;
  /** Opens when failures / outcomes in the window reach this (0 < failureRate <= 1). */
  failureRate: number;
  /** How long the breaker stays open before it lets probes through. */
  openMs: number;
  /** Probes allowed in flight at once while half-open, across the fleet. */
  halfOpenPermits: number;
  /** Successful probes that close the breaker again. */
  halfOpenSuccesses: number;
  /** A call that has not settled this long after fn was called fails with CallTimeoutError. */
  timeoutMs: number;
  /** Which rejections of fn count as failures; default: every one. */
  isFailure?: (error: unknown) => boolean;
  /** Key prefix; default "breaker:". */
  prefix?: string;
}

export interface Breaker {
  /** Runs fn through the breaker: fn's value or error, BreakerOpenError, or CallTimeoutError. */
  exec<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** The breaker's state as this instance sees it. */
  state(): Promise<BreakerState>;
}

/** Thrown by the parts you have not written yet; the grader reports them as "not implemented". */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}

/** exec() refused to call fn: the breaker is open, or half-open with every probe permit taken. */
export class BreakerOpenError extends Error {
  override name = "BreakerOpenError";
  readonly code = "BREAKER_OPEN";
  constructor(readonly breaker: string) {
    super(`circuit breaker "${breaker}" is open`);
  }
}

/** fn did not settle within timeoutMs; its signal was aborted. */
export class CallTimeoutError extends Error {
  override name = "CallTimeoutError";
  readonly code = "CALL_TIMEOUT";
  constructor(
    readonly breaker: string,
    readonly timeoutMs: number,
  ) {
    super(`call through circuit breaker "${breaker}" timed out after ${timeoutMs} ms`);
  }
}

export function createBreaker(options: BreakerOptions): Breaker {
  throw new NotImplementedError("createBreaker");
}
