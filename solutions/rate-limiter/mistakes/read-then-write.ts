/**
 * Mistake: reads the log, decides in the application, then writes. Each step is fine
 * alone, but two instances can both read "49 used" and both admit: the check and the
 * write are not one atomic step.
 */
import type { RateLimitDecision, RateLimiter, RateLimiterOptions } from "../../../challenges/rate-limiter/src/index.ts";
export { rateLimit } from "../index.ts";
import { checkConsumeArguments } from "./sliding-log-variant.ts";

export const mustFail = ["distributed.concurrent-instances", "efficiency.one-round-trip"];

export function createRateLimiter({ redis, limit, windowMs, prefix = "ratelimit:" }: RateLimiterOptions): RateLimiter {
  let sequence = 0;
  return {
    limit,
    windowMs,
    async consume(key: string, cost = 1): Promise<RateLimitDecision> {
      checkConsumeArguments(key, cost, limit);
      const log = prefix + key;
      const [[, time], [, entries]] = (await redis.multi().time().zrange(log, 0, -1, "WITHSCORES").exec()) as [[null, [string, string]], [null, string[]]];
      const now = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
      const live: { member: string; at: number; cost: number }[] = [];
      for (let i = 0; i < entries.length; i += 2) {
        const at = Number(entries[i + 1]);
        if (at > now - windowMs) live.push({ member: entries[i]!, at, cost: Number(entries[i]!.split(":")[1]) });
      }
      const used = live.reduce((sum, entry) => sum + entry.cost, 0);
      const allowed = used + cost <= limit;
      const write = redis.multi().zremrangebyscore(log, "-inf", now - windowMs);
      if (allowed) write.zadd(log, now, `${now}-${process.pid}-${++sequence}:${cost}`);
      await write.pexpire(log, windowMs).exec();
      const counted = allowed ? used + cost : used;
      const newest = allowed ? now : (live.at(-1)?.at ?? now);
      let retryAfterMs = 0;
      if (!allowed) {
        let freed = 0;
        for (const entry of live) {
          freed += entry.cost;
          if (freed >= used + cost - limit) {
            retryAfterMs = entry.at + windowMs - now;
            break;
          }
        }
      }
      return { allowed, limit, remaining: limit - counted, resetMs: newest + windowMs - now, retryAfterMs };
    },
    async reset(key: string) {
      await redis.del(prefix + key);
    },
  };
}
