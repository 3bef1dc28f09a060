/**
 * Mistake: every call is logged, admitted or not. A client retrying while blocked keeps
 * itself blocked, and the log grows with traffic instead of with the limit.
 */
import type { RateLimiter, RateLimiterOptions } from "../../../challenges/rate-limiter/src/index.ts";
import { editReference, evalEachTime, slidingLogVariant } from "./sliding-log-variant.ts";
export { rateLimit } from "../index.ts";

export const mustFail = [
  "basics.cost-is-weighted",
  "basics.denied-consumes-nothing",
  "rolling-window.no-burst-at-boundary",
  "rolling-window.old-cost-expires",
  "rolling-window.retry-after-is-exact",
  "rolling-window.reset-ms",
  "efficiency.bounded-memory",
];

// Log the call first, then decide from a count that includes it, as "ZADD then ZCARD" limiters do.
const lua = editReference(
  "if used + cost <= limit then",
  `local fitted = used + cost <= limit
redis.call('ZADD', log, now, redis.call('HINCRBY', meta, 'seq', 1) .. ':' .. cost)
used = redis.call('HINCRBY', meta, 'used', cost)
redis.call('PEXPIRE', log, ARGV[2])
redis.call('PEXPIRE', meta, ARGV[2])
if fitted then return { 1, limit - used, windowUs, 0 } end
if false then`,
);

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  return slidingLogVariant(lua, evalEachTime(lua), options);
}
