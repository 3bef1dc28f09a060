/**
 * Mistake: every call is logged, admitted or not. A client retrying while blocked keeps
 * itself blocked, and the log grows with traffic instead of with the limit.
 */
import type { RateLimiter, RateLimiterOptions } from "../../../challenges/rate-limiter/src/index.ts";
import { evalEachTime, referenceLua, slidingLogVariant } from "./sliding-log-variant.ts";
export { rateLimit } from "../index.ts";

export const mustFail = [
  "basics.cost-is-weighted",
  "basics.denied-consumes-nothing",
  "rolling-window.no-burst-at-boundary",
  "rolling-window.old-cost-expires",
  "rolling-window.retry-after-is-exact",
  "efficiency.bounded-memory",
];

const lua = referenceLua.replace(
  "local allowed = used + cost <= limit\nif allowed then",
  "local allowed = used + cost <= limit\ndo",
);

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  return slidingLogVariant(lua, evalEachTime(lua), options);
}
