import { expect, vi } from "vitest";
import { eventually, graded, runConcurrently, sleepUntil, type InstrumentedRedis } from "../../../harness/testing/index.ts";
import { load } from "./implementation.ts";

async function allKeys(redis: InstrumentedRedis): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "COUNT", 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  return keys.sort();
}

graded(
  "distributed.concurrent-instances",
  { points: 4, timeoutMs: 8000, hint: "Reading the count and writing it back in two steps races with other instances. Decide and write atomically inside Redis (one Lua script)." },
  async (t) => {
    const { createRateLimiter } = await load(t);
    const limiters = await Promise.all(
      Array.from({ length: 5 }, async () => createRateLimiter({ redis: await t.redis(), limit: 50, windowMs: 60_000 })),
    );
    const results = await runConcurrently(200, (i) => limiters[i % limiters.length]!.consume("shared"));
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected.map((r) => String((r as PromiseRejectedResult).reason)), "calls that threw").toEqual([]);
    const admitted = results.filter((r) => r.status === "fulfilled" && r.value.allowed).length;
    expect(admitted, "admitted out of 200 concurrent calls across 5 instances with limit 50").toBe(50);
  },
);

graded(
  "distributed.server-clock",
  { points: 3, hint: "Servers' clocks drift. Take the time inside Redis (TIME in a Lua script) so every instance measures the window on one clock." },
  async (t) => {
    const { createRateLimiter } = await load(t);
    const onTime = createRateLimiter({ redis: await t.redis(), limit: 5, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) await onTime.consume("k");
    for (const skewMinutes of [5, -5]) {
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + skewMinutes * 60_000 });
      try {
        const skewed = createRateLimiter({ redis: await t.redis(), limit: 5, windowMs: 60_000 });
        const decision = await skewed.consume("k");
        expect(decision.allowed, `an instance whose clock is ${skewMinutes > 0 ? "ahead" : "behind"} by ${Math.abs(skewMinutes)} minutes must see the same full window`).toBe(false);
      } finally {
        vi.useRealTimers();
      }
    }
  },
);

graded(
  "distributed.keys-expire",
  { points: 2, timeoutMs: 5000, hint: "Give every key a TTL (PEXPIRE) no longer than the window after its newest admission, and refresh it when you write." },
  async (t) => {
    const { createRateLimiter } = await load(t);
    const windowMs = 400;
    const redis = await t.redis();
    const limiter = createRateLimiter({ redis, limit: 3, windowMs });
    for (const key of ["a", "b", "c"]) await limiter.consume(key, 2);
    await limiter.consume("a", 2); // denied
    const writtenBy = performance.now();
    const keys = await allKeys(redis);
    expect(keys.length, "keys in Redis after consuming on 3 keys").toBeGreaterThan(0);
    for (const key of keys) {
      const ttl = await redis.pttl(key);
      expect(ttl, `PTTL of "${key}" (-1 means it never expires)`).toBeGreaterThan(0);
      expect(ttl, `PTTL of "${key}" must not exceed the window (${windowMs} ms)`).toBeLessThanOrEqual(windowMs + 50);
    }
    await sleepUntil(writtenBy + windowMs + 100);
    // Redis reclaims expired keys lazily and in a background cycle; give it a bounded moment.
    await eventually(async () => expect(await allKeys(redis), "keys left once everything has left the window").toEqual([]), { timeoutMs: 1000 });
  },
);

graded("distributed.key-prefix", { points: 1, hint: "Build every key from options.prefix (default \"ratelimit:\") so tenants and apps can share a Redis." }, async (t) => {
  const { createRateLimiter } = await load(t);
  const redis = await t.redis();
  await createRateLimiter({ redis, limit: 3, windowMs: 60_000 }).consume("k");
  const defaults = await allKeys(redis);
  expect(defaults.length, "keys written with the default prefix").toBeGreaterThan(0);
  for (const key of defaults) expect(key.startsWith("ratelimit:"), `key "${key}" should start with the default prefix "ratelimit:"`).toBe(true);
  await redis.flushdb();
  const custom = createRateLimiter({ redis, limit: 3, windowMs: 60_000, prefix: "tenant-7:rl:" });
  await custom.consume("k");
  const keys = await allKeys(redis);
  expect(keys.length, "keys written with a custom prefix").toBeGreaterThan(0);
  for (const key of keys) expect(key.startsWith("tenant-7:rl:"), `key "${key}" should start with the prefix "tenant-7:rl:"`).toBe(true);
  expect(await custom.consume("k"), "limits still work with a custom prefix").toMatchObject({ allowed: true, remaining: 1 });
});

graded(
  "distributed.survives-script-flush",
  { points: 2, hint: "After SCRIPT FLUSH (or a restart or failover) EVALSHA fails with NOSCRIPT. Fall back to EVAL or reload the script; ioredis defineCommand does it for you." },
  async (t) => {
    t.requireOwnServer("redis");
    const { createRateLimiter } = await load(t);
    const redis = await t.redis();
    const limiter = createRateLimiter({ redis, limit: 5, windowMs: 60_000 });
    await limiter.consume("k");
    await limiter.consume("k");
    const admin = await t.redis();
    await admin.script("FLUSH");
    expect(await limiter.consume("k"), "first call after SCRIPT FLUSH").toMatchObject({ allowed: true, remaining: 2 });
    await admin.script("FLUSH");
    expect(await limiter.consume("k", 2), "call after a second SCRIPT FLUSH").toMatchObject({ allowed: true, remaining: 0 });
  },
);
