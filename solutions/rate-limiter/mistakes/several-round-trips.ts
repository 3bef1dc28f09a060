/**
 * Mistake: asks Redis for the time, then runs the script with it: correct, but two
 * round trips per call, which halves throughput under load.
 */
import type { RateLimiter, RateLimiterOptions } from "../../../challenges/rate-limiter/src/index.ts";
import { editReference, evalEachTime, serverClockLines, slidingLogVariant } from "./sliding-log-variant.ts";
export { rateLimit } from "../index.ts";

export const mustFail = ["efficiency.one-round-trip"];

const lua = editReference(serverClockLines, "local now = tonumber(ARGV[4])");

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const run = evalEachTime(lua);
  return slidingLogVariant(
    lua,
    async (redis, keys, args) => {
      const [seconds, micros] = await redis.time();
      return run(redis, keys, [...args, Number(seconds) * 1_000_000 + Number(micros)]);
    },
    options,
  );
}
