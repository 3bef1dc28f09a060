import type { GradedContext, InstrumentedRedis } from "../../../harness/testing/index.ts";
import type { Breaker, BreakerOptions } from "../src/index.ts";

/** The interface every implementation under test exports (the stub's). */
export type BreakerModule = typeof import("../src/index.ts");

export function load(t: GradedContext): Promise<BreakerModule> {
  return t.solution<BreakerModule>();
}

/** Options the tests start from: nothing times out or half-opens unless a test says so. */
export const baseOptions = {
  name: "payments",
  windowSize: 10,
  minimumCalls: 5,
  failureRate: 0.5,
  openMs: 10_000,
  halfOpenPermits: 1,
  halfOpenSuccesses: 1,
  timeoutMs: 5000,
} satisfies Omit<BreakerOptions, "redis">;

export type TestOptions = Partial<Omit<BreakerOptions, "redis">>;

/** `count` breakers with the same options, each on a connection of its own (as separate servers would be). */
export async function breakers(t: GradedContext, count: number, options: TestOptions = {}): Promise<{ redis: InstrumentedRedis; breaker: Breaker }[]> {
  const { createBreaker } = await load(t);
  const clients = await Promise.all(Array.from({ length: count }, () => t.redis()));
  return clients.map((redis) => ({ redis, breaker: createBreaker({ ...baseOptions, ...options, redis }) }));
}

export async function breaker(t: GradedContext, options: TestOptions = {}) {
  return (await breakers(t, 1, options))[0]!;
}
