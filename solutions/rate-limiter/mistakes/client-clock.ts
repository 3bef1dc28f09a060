/**
 * Mistake: the script takes "now" from the caller's Date.now(). Instances whose clocks
 * disagree see different windows: one running 5 minutes ahead finds the log empty.
 */
import type { RateLimiter, RateLimiterOptions } from "../../../challenges/rate-limiter/src/index.ts";
import { editReference, evalEachTime, serverClockLines, slidingLogVariant } from "./sliding-log-variant.ts";
export { rateLimit } from "../index.ts";

export const mustFail = ["distributed.server-clock"];

const lua = editReference(serverClockLines, "local now = tonumber(ARGV[4])");

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const run = evalEachTime(lua);
  return slidingLogVariant(lua, (redis, keys, args) => run(redis, keys, [...args, Date.now() * 1000]), options);
}
