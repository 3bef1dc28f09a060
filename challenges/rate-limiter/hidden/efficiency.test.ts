import { expect } from "vitest";
import { callsPerSecond, graded, throughputComparison, type InstrumentedRedis } from "../../../harness/testing/index.ts";
import { load, type RateLimiterModule } from "./implementation.ts";

async function usedMemory(redis: InstrumentedRedis): Promise<{ keys: number; bytes: number }> {
  const keys = await redis.keys("*");
  let bytes = 0;
  for (const key of keys) bytes += Number((await redis.call("MEMORY", "USAGE", key, "SAMPLES", "0")) ?? 0);
  return { keys: keys.length, bytes };
}

graded(
  "efficiency.one-round-trip",
  { points: 3, hint: "Do the whole decision in one EVALSHA (or one MULTI/pipeline). Each await on Redis is a network round trip." },
  async (t) => {
    const { createRateLimiter } = await load(t);
    const redis = await t.redis();
    const limiter = createRateLimiter({ redis, limit: 20, windowMs: 60_000 });
    await limiter.consume("warm-up"); // a one-off script load is fine
    redis.traffic.reset();
    for (let i = 0; i < 40; i++) await limiter.consume(`k${i % 2}`);
    const connections = redis.traffic.connections > 1 ? `, over ${redis.traffic.connections} connections made from the injected client` : "";
    expect(redis.traffic.roundTrips, `Redis round trips for 40 consume() calls (commands sent: ${[...new Set(redis.traffic.commandNames)].join(", ")}${connections})`).toBeLessThanOrEqual(40);
  },
);

graded(
  "efficiency.bounded-memory",
  { points: 2, timeoutMs: 10_000, hint: "Memory per key must be bounded by the limit, not by traffic: denied calls must not add entries." },
  async (t) => {
    const { createRateLimiter } = await load(t);
    const redis = await t.redis();
    const limiter = createRateLimiter({ redis, limit: 10, windowMs: 60_000 });
    for (let i = 0; i < 10; i++) await limiter.consume("k");
    const full = await usedMemory(redis);
    await callsPerSecond(2000, 20, () => limiter.consume("k"));
    const after = await usedMemory(redis);
    expect(after.keys, "keys after 2,000 denied calls").toBeLessThanOrEqual(full.keys);
    expect(after.bytes, `bytes used after 2,000 denied calls (was ${full.bytes} with the window full)`).toBeLessThanOrEqual(full.bytes * 1.25 + 256);
  },
);

throughputComparison<RateLimiterModule>("efficiency", { name: "consume()", unit: "calls/s" }, async (impl, t) => {
  const limiter = impl.createRateLimiter({ redis: await t.redis(), limit: 100, windowMs: 60_000, prefix: `bench-${Math.random()}:` });
  await limiter.consume("warm-up");
  return callsPerSecond(3000, 32, (i) => limiter.consume(`user-${i % 50}`));
});
