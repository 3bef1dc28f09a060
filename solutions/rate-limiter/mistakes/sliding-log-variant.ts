/**
 * Builds "the reference with one thing wrong", so each mistake file shows only its flaw.
 * Not a mistake itself (it exports no mustFail).
 */
import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";
import type { RateLimitDecision, RateLimiter, RateLimiterOptions } from "../../../challenges/rate-limiter/src/index.ts";

export const referenceLua = readFileSync(new URL("../sliding-log.lua", import.meta.url), "utf8");
/** Replaces `search` in the reference script, failing loudly if the reference no longer contains it. */
export function editReference(search: string | RegExp, replacement: string): string {
  const found = typeof search === "string" ? referenceLua.includes(search) : search.test(referenceLua);
  if (!found) throw new Error(`mistake variant is stale: the reference script no longer contains ${String(search)}`);
  return referenceLua.replace(search, replacement);
}

export const serverClockLines = "local time = redis.call('TIME')\nlocal now = tonumber(time[1]) * 1000000 + tonumber(time[2])";

/** How the variant runs its script: what it passes as ARGV[4] ("now"), if anything, and how. */
export type Invoke = (redis: Redis, keys: [string, string], args: number[]) => Promise<[number, number, number, number]>;

/** The argument rules every mistake keeps (each mistake is wrong in one way only). */
export function checkConsumeArguments(key: unknown, cost: unknown, limit: number): void {
  if (typeof key !== "string") throw new TypeError("key must be a string");
  if (key === "") throw new RangeError("key must not be empty");
  if (typeof cost !== "number") throw new TypeError("cost must be a number");
  if (!Number.isInteger(cost) || cost < 1 || cost > limit) throw new RangeError(`cost must be an integer from 1 to ${limit}, got ${cost}`);
}

export function slidingLogVariant(lua: string, invoke: Invoke, options: RateLimiterOptions): RateLimiter {
  const { redis, limit, windowMs, prefix = "ratelimit:" } = options;
  const keysOf = (key: string): [string, string] => [`${prefix}{${key}}:log`, `${prefix}{${key}}:meta`];
  return {
    limit,
    windowMs,
    async consume(key: string, cost = 1): Promise<RateLimitDecision> {
      checkConsumeArguments(key, cost, limit);
      const [allowed, remaining, resetUs, retryUs] = await invoke(redis, keysOf(key), [limit, windowMs, cost]);
      return { allowed: allowed === 1, limit, remaining: Math.max(0, remaining), resetMs: Math.ceil(resetUs / 1000), retryAfterMs: Math.ceil(retryUs / 1000) };
    },
    async reset(key: string) {
      await redis.del(...keysOf(key));
    },
  };
}

/** Runs `lua` with EVAL every time: one round trip, no script cache involved. */
export function evalEachTime(lua: string): Invoke {
  return (redis, keys, args) => redis.eval(lua, 2, ...keys, ...args) as Promise<[number, number, number, number]>;
}
