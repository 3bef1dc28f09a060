import type { Redis } from "ioredis";
import { callsPerSecond } from "../../testing/concurrency.ts";
import type { ThroughputBench } from "./throughput-bench.ts";

const total = 20_000;
const concurrency = 32;
const breakers = 16;

type Scripted = Redis & { katasBenchRecord(window: string, state: string, outcome: string): Promise<string | null> };

/** exec() of the reference while closed against the bare minimum of the same work: one script per call that records an outcome in a capped window and reads the state. */
export const circuitBreakerBench: ThroughputBench = {
  challenge: "circuit-breaker",
  services: ["redis"],
  unit: "calls/s",
  referenceName: "exec() while closed (16 breakers, window 100, a timeout per call)",
  limitName: "one EVALSHA per call: LPUSH + LTRIM the window, HGET the state",
  concurrency,
  async reference({ redis }) {
    const { createBreaker } = await import("../../../solutions/circuit-breaker/index.ts");
    const options = { windowSize: 100, minimumCalls: 100, failureRate: 0.5, openMs: 10_000, halfOpenPermits: 1, halfOpenSuccesses: 1, timeoutMs: 5000, prefix: "bench:reference:" };
    const fleet = Array.from({ length: breakers }, (_, i) => createBreaker({ ...options, name: `dependency-${i}`, redis: redis! }));
    const fn = async () => "ok";
    const call = (i: number) => fleet[i % breakers]!.exec(fn);
    await callsPerSecond(500, concurrency, call);
    return callsPerSecond(total, concurrency, call);
  },
  async limit({ redis }) {
    const client = redis as Scripted;
    if (!client.katasBenchRecord) {
      client.defineCommand("katasBenchRecord", {
        numberOfKeys: 2,
        lua: "redis.call('LPUSH', KEYS[1], ARGV[1]) redis.call('LTRIM', KEYS[1], 0, 99) return redis.call('HGET', KEYS[2], 's')",
      });
    }
    const call = (i: number) => client.katasBenchRecord(`bench:limit:{dependency-${i % breakers}}:window`, `bench:limit:{dependency-${i % breakers}}`, "0");
    await callsPerSecond(500, concurrency, call);
    return callsPerSecond(total, concurrency, call);
  },
};
