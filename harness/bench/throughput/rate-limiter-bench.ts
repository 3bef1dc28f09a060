import type { Redis } from "ioredis";
import { callsPerSecond } from "../../testing/concurrency.ts";
import type { ThroughputBench } from "./throughput-bench.ts";

const total = 20_000;
const concurrency = 32;

type Scripted = Redis & { katasBenchIncr(key: string): Promise<number> };

/** consume() of the reference against the cheapest script of the same shape: one EVALSHA on one key. */
export const rateLimiterBench: ThroughputBench = {
  challenge: "rate-limiter",
  services: ["redis"],
  unit: "calls/s",
  referenceName: "consume() (limit 100/min, 50 keys)",
  limitName: "one-key EVALSHA (INCR + PEXPIRE)",
  concurrency,
  async reference({ redis }) {
    const { createRateLimiter } = await import("../../../solutions/rate-limiter/index.ts");
    const limiter = createRateLimiter({ redis: redis!, limit: 100, windowMs: 60_000, prefix: "bench:reference:" });
    await limiter.consume("warm-up");
    return callsPerSecond(total, concurrency, (i) => limiter.consume(`user-${i % 50}`));
  },
  async limit({ redis }) {
    const client = redis as Scripted;
    if (!client.katasBenchIncr) {
      client.defineCommand("katasBenchIncr", { numberOfKeys: 1, lua: "local n = redis.call('INCR', KEYS[1]) redis.call('PEXPIRE', KEYS[1], 60000) return n" });
    }
    await client.katasBenchIncr("bench:limit:warm-up");
    return callsPerSecond(total, concurrency, (i) => client.katasBenchIncr(`bench:limit:user-${i % 50}`));
  },
};
