/**
 * Mistake: the two round trips per call of several-round-trips.ts, on "a dedicated
 * connection for the limiter" made with `redis.duplicate()`. The round trips are as real
 * on that connection as on the injected one, and count the same.
 */
import type { Redis } from "ioredis";
import type { RateLimiter, RateLimiterOptions } from "../../../challenges/rate-limiter/src/index.ts";
import { editReference, evalEachTime, serverClockLines, slidingLogVariant } from "./sliding-log-variant.ts";
export { rateLimit } from "../index.ts";

export const mustFail = ["efficiency.one-round-trip"];

const lua = editReference(serverClockLines, "local now = tonumber(ARGV[4])");

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const run = evalEachTime(lua);
  const own: Redis = options.redis.duplicate();
  const connected = own.connect();
  connected.catch(() => {});
  return slidingLogVariant(
    lua,
    async (_injected, keys, args) => {
      await connected;
      const [seconds, micros] = await own.time();
      return run(own, keys, [...args, Number(seconds) * 1_000_000 + Number(micros)]);
    },
    options,
  );
}
