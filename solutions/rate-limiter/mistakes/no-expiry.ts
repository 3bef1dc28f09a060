/** Mistake: keys are never given a TTL, so every client ever seen stays in Redis forever. */
import type { RateLimiter, RateLimiterOptions } from "../../../challenges/rate-limiter/src/index.ts";
import { editReference, evalEachTime, slidingLogVariant } from "./sliding-log-variant.ts";
export { rateLimit } from "../index.ts";

export const mustFail = ["distributed.keys-expire"];

const lua = editReference(/redis\.call\('PEXPIRE'.*\n/g, "");

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  return slidingLogVariant(lua, evalEachTime(lua), options);
}
