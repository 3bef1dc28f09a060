/**
 * Reference solution: an exact sliding log, decided by one Lua script per call
 * (one round trip; ioredis reloads the script on NOSCRIPT). See NOTES.md.
 */
import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";
import type { Request, RequestHandler } from "express";
import type {
  RateLimitDecision,
  RateLimiter,
  RateLimiterOptions,
  RateLimitMiddlewareOptions,
} from "../../challenges/rate-limiter/src/index.ts";

export type { RateLimitDecision, RateLimiter, RateLimiterOptions, RateLimitMiddlewareOptions };

const script = readFileSync(new URL("./sliding-log.lua", import.meta.url), "utf8");
const commandName = "katasSlidingLogConsume";

type ScriptedRedis = Redis & {
  [commandName](log: string, meta: string, limit: number, windowMs: number, cost: number): Promise<[number, number, number, number]>;
};

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const limit = positiveInteger("limit", options.limit);
  const windowMs = positiveInteger("windowMs", options.windowMs);
  const prefix = options.prefix ?? "ratelimit:";
  const redis = options.redis as ScriptedRedis;
  if (typeof redis[commandName] !== "function") redis.defineCommand(commandName, { numberOfKeys: 2, lua: script });

  // The braces are a hash tag: both keys of one limited key land in the same Cluster slot.
  const keysOf = (key: string) => [`${prefix}{${key}}:log`, `${prefix}{${key}}:meta`] as const;

  function checkKey(key: unknown): asserts key is string {
    if (typeof key !== "string") throw new TypeError(`key must be a string, got ${typeof key}`);
    if (key.length === 0) throw new RangeError("key must be a non-empty string");
  }

  return {
    limit,
    windowMs,
    async consume(key: string, cost = 1): Promise<RateLimitDecision> {
      checkKey(key);
      if (typeof cost !== "number") throw new TypeError(`cost must be a number, got ${typeof cost}`);
      if (!Number.isInteger(cost) || cost < 1 || cost > limit) throw new RangeError(`cost must be an integer from 1 to ${limit}, got ${cost}`);
      const [log, meta] = keysOf(key);
      const [allowed, remaining, resetUs, retryUs] = await redis[commandName](log, meta, limit, windowMs, cost);
      return {
        allowed: allowed === 1,
        limit,
        remaining,
        // Round up: a client that waits this long must find the quota there.
        resetMs: Math.ceil(resetUs / 1000),
        retryAfterMs: Math.ceil(retryUs / 1000),
      };
    },
    async reset(key: string): Promise<void> {
      checkKey(key);
      await redis.del(...keysOf(key));
    },
  };
}

export function rateLimit(limiter: RateLimiter, options: RateLimitMiddlewareOptions = {}): RequestHandler {
  const keyOf = options.keyOf ?? ((req: Request) => req.ip ?? "unknown");
  const failMode = options.failMode ?? "open";
  const policy = options.policyName ?? "default";
  const policyHeader = `"${policy}";q=${limiter.limit};w=${Math.ceil(limiter.windowMs / 1000)}`;

  return (req, res, next) => {
    let key: string;
    try {
      key = keyOf(req);
      // keyOf often reads the request, which the client writes. A key consume() would refuse
      // is not Redis failing: failing open on it would let an empty header skip the limit.
      if (typeof key !== "string") throw new TypeError(`keyOf must return a string, got ${typeof key}`);
      if (key.length === 0) throw new RangeError("keyOf returned an empty key");
    } catch (error) {
      next(error);
      return;
    }
    limiter
      .consume(key)
      .then(
        (decision) => {
          res.setHeader("RateLimit-Policy", policyHeader);
          res.setHeader("RateLimit", `"${policy}";r=${decision.remaining};t=${Math.ceil(decision.resetMs / 1000)}`);
          if (decision.allowed) return next();
          const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
          res.setHeader("Retry-After", String(retryAfterSeconds));
          res.status(429).json({
            error: {
              code: "RATE_LIMITED",
              message: `Too many requests. Retry in ${retryAfterSeconds} s.`,
              retryAfterMs: decision.retryAfterMs,
            },
          });
        },
        () => {
          if (failMode === "open") return next();
          res.status(503).json({ error: { code: "RATE_LIMITER_UNAVAILABLE", message: "Rate limiting is unavailable; try again shortly." } });
        },
      )
      .catch(next);
  };
}
