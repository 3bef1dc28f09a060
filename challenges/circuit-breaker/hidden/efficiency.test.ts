import { expect } from "vitest";
import { callsPerSecond, graded, throughputComparison } from "../../../harness/testing/index.ts";
import { Dependency, run } from "./dependency.ts";
import { baseOptions, breaker, type BreakerModule } from "./implementation.ts";

graded(
  "efficiency.round-trips",
  { points: 5, hint: "Record an outcome and evaluate the window in one script. Deciding needs at most one more round trip, and none while you trust a recent reply." },
  async (t) => {
    const { redis, breaker: b } = await breaker(t, { windowSize: 50, minimumCalls: 50, failureRate: 0.5 });
    const dependency = new Dependency();
    await run(b, dependency, "sf"); // loading scripts once is fine
    const sent = () => [...new Set(redis.traffic.commandNames)].join(", ");
    redis.traffic.reset();
    await run(b, dependency, "sfsfsfsfsfsfsfsfsfsf");
    expect(redis.traffic.roundTrips, `round trips for 20 calls while closed: at most 2 each (commands sent: ${sent()})`).toBeLessThanOrEqual(40);
    const opened = await breaker(t, { name: "opened", windowSize: 2, minimumCalls: 2, failureRate: 0.9 });
    await run(opened.breaker, dependency, "ff");
    opened.redis.traffic.reset();
    await run(opened.breaker, dependency, "ssssssssss");
    expect(opened.redis.traffic.roundTrips, `round trips for 10 calls refused while open: at most 1 each (commands sent: ${[...new Set(opened.redis.traffic.commandNames)].join(", ")})`).toBeLessThanOrEqual(10);
  },
);

throughputComparison<BreakerModule>("efficiency", { name: "exec() while closed", unit: "calls/s" }, async (impl, t) => {
  const redis = await t.redis();
  const b = impl.createBreaker({ ...baseOptions, name: `bench-${Math.random()}`, windowSize: 100, minimumCalls: 100, redis });
  const fn = async () => "ok";
  const call = () => b.exec(fn);
  await callsPerSecond(300, 32, call); // warm-up: script load and JIT, so the order of measurement does not matter
  return callsPerSecond(3000, 32, call);
});
