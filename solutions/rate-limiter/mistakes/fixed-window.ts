/**
 * Mistake: a fixed-window counter (INCR, expiring one window after the first call).
 * Atomic and one round trip, but it lets up to 2×limit through around a window edge,
 * and its reset and retry times are those of the window, not of the admissions.
 */
import type { Redis } from "ioredis";
import type { RateLimiter, RateLimiterOptions } from "../../../challenges/rate-limiter/src/index.ts";
export { rateLimit } from "../index.ts";
import { checkConsumeArguments } from "./sliding-log-variant.ts";

export const mustFail = ["rolling-window.no-burst-at-boundary", "rolling-window.retry-after-is-exact", "rolling-window.reset-ms"];

const script = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local limit, cost = tonumber(ARGV[1]), tonumber(ARGV[3])
local allowed = used + cost <= limit
if allowed then
  used = redis.call('INCRBY', KEYS[1], cost)
  if used == cost then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = 0 end
return { allowed and 1 or 0, limit - used, ttl }
`;

type Scripted = Redis & { fixedWindow(key: string, limit: number, windowMs: number, cost: number): Promise<[number, number, number]> };

export function createRateLimiter({ redis, limit, windowMs, prefix = "ratelimit:" }: RateLimiterOptions): RateLimiter {
  const client = redis as Scripted;
  if (!client.fixedWindow) client.defineCommand("fixedWindow", { numberOfKeys: 1, lua: script });
  return {
    limit,
    windowMs,
    async consume(key, cost = 1) {
      checkConsumeArguments(key, cost, limit);
      const [allowed, remaining, ttl] = await client.fixedWindow(prefix + key, limit, windowMs, cost);
      return { allowed: allowed === 1, limit, remaining, resetMs: ttl, retryAfterMs: allowed === 1 ? 0 : ttl };
    },
    async reset(key) {
      await redis.del(prefix + key);
    },
  };
}
