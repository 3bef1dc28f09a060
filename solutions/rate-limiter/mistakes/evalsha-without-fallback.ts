/**
 * Mistake: SCRIPT LOAD once, then EVALSHA forever. After SCRIPT FLUSH, a restart or a
 * failover, every call fails with NOSCRIPT until the process restarts.
 */
import type { RateLimiter, RateLimiterOptions } from "../../../challenges/rate-limiter/src/index.ts";
import { referenceLua, slidingLogVariant } from "./sliding-log-variant.ts";
export { rateLimit } from "../index.ts";

export const mustFail = ["distributed.survives-script-flush", "resilience.recovers"];

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  let sha: Promise<string> | undefined;
  return slidingLogVariant(
    referenceLua,
    async (redis, keys, args) => {
      sha ??= redis.script("LOAD", referenceLua) as Promise<string>;
      return redis.evalsha(await sha, 2, ...keys, ...args) as Promise<[number, number, number, number]>;
    },
    options,
  );
}
