/**
 * Distributed rate limiter — your implementation goes here.
 * The spec is in ../README.md. Grade it with: npm run grade rate-limiter
 */
import type { Redis } from "ioredis";
import type { Request, RequestHandler } from "express";

export interface RateLimiterOptions {
  /** Connected client, provided by the caller. Don't quit() it. */
  redis: Redis;
  /** Total cost admitted in any rolling window. */
  limit: number;
  /** Rolling window length in milliseconds. */
  windowMs: number;
  /** Key prefix; default "ratelimit:". */
  prefix?: string;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Cost still admissible right now, after this call. */
  remaining: number;
  /** Milliseconds until the full quota is available again. */
  resetMs: number;
  /** 0 if allowed; else milliseconds until this cost would be admitted. */
  retryAfterMs: number;
}

export interface RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  /** `cost` defaults to 1. */
  consume(key: string, cost?: number): Promise<RateLimitDecision>;
  reset(key: string): Promise<void>;
}

export interface RateLimitMiddlewareOptions {
  /** Default: req.ip. */
  keyOf?: (req: Request) => string;
  /** What to do when Redis fails; default "open". */
  failMode?: "open" | "closed";
  /** Default "default". */
  policyName?: string;
}

/** Thrown by the parts you have not written yet; the grader reports them as "not implemented". */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  throw new NotImplementedError("createRateLimiter");
}

export function rateLimit(limiter: RateLimiter, options: RateLimitMiddlewareOptions = {}): RequestHandler {
  throw new NotImplementedError("rateLimit");
}
