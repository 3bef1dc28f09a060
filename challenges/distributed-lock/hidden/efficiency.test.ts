import { expect } from "vitest";
import { callsPerSecond, graded, sleep, throughputComparison } from "../../../harness/testing/index.ts";
import { managers, type LockModule } from "./implementation.ts";

graded(
  "efficiency.round-trips",
  { points: 3, hint: "Take the lock and its fence in one script; each try, extend and release is one EVALSHA." },
  async (t) => {
    const [one, other] = await managers(t, 2, { ttlMs: 10_000, retry: { attempts: 3, delayMs: 20 } });
    const warm = (await one!.manager.acquire("warm-up"))!; // loading scripts once is fine
    await warm.extend();
    await warm.release();
    const sent = () => [...new Set(one!.redis.traffic.commandNames)].join(", ");
    one!.redis.traffic.reset();
    for (let i = 0; i < 10; i++) {
      const lease = (await one!.manager.acquire(`r${i % 3}`))!;
      await lease.extend();
      await lease.release();
    }
    expect(one!.redis.traffic.roundTrips, `round trips for 10 × (acquire, extend, release) (commands sent: ${sent()})`).toBeLessThanOrEqual(30);
    await other!.manager.acquire("taken");
    one!.redis.traffic.reset();
    expect(await one!.manager.acquire("taken"), "acquire of a taken lock").toBeNull();
    expect(one!.redis.traffic.roundTrips, `round trips for acquire({ attempts: 3 }) on a taken lock: one per try (commands sent: ${sent()})`).toBeLessThanOrEqual(4);
  },
);

graded(
  "efficiency.extension-rate",
  { points: 2, timeoutMs: 8000, hint: "Extending every few milliseconds buys no safety. Once every ttlMs/3 is plenty; the spec allows ttlMs/5 at most." },
  async (t) => {
    const ttlMs = 1000;
    const runMs = 2000;
    const [one] = await managers(t, 1, { ttlMs });
    const warm = (await one!.manager.acquire("warm-up"))!;
    await warm.extend();
    await warm.release();
    one!.redis.traffic.reset();
    await one!.manager.using("job", () => sleep(runMs));
    const budget = 1 + runMs / (ttlMs / 5) + 1 + 1;
    expect(one!.redis.traffic.roundTrips, `round trips for a using() whose fn runs ${runMs} ms with ttlMs ${ttlMs}: acquire, at most one extension per ttlMs/5, release (+1)`).toBeLessThanOrEqual(budget);
  },
);

throughputComparison<LockModule>("efficiency", { name: "acquire() + release()", unit: "cycles/s" }, async (impl, t) => {
  const redis = await t.redis();
  const manager = impl.createLockManager({ redis, ttlMs: 10_000, prefix: `bench-${Math.random()}:` });
  const cycle = async (i: number) => {
    const lease = await manager.acquire(`resource-${i % 64}`);
    await lease?.release();
  };
  await callsPerSecond(300, 32, cycle); // warm-up: script load and JIT, so the order of measurement does not matter
  return callsPerSecond(3000, 32, cycle);
});
