import type { Redis } from "ioredis";
import { callsPerSecond } from "../../testing/concurrency.ts";
import type { ThroughputBench } from "./throughput-bench.ts";

const total = 20_000;
const concurrency = 32;
const resources = 64;

type Scripted = Redis & { katasBenchDelIfOwner(key: string, token: string): Promise<number> };

/** acquire() + release() of the reference against the bare minimum: SET NX PX, then a DEL-if-owner script. */
export const distributedLockBench: ThroughputBench = {
  challenge: "distributed-lock",
  services: ["redis"],
  unit: "cycles/s",
  referenceName: "acquire() + release() (64 resources, fence per lease)",
  limitName: "SET NX PX + DEL-if-owner EVALSHA (no fence)",
  concurrency,
  async reference({ redis }) {
    const { createLockManager } = await import("../../../solutions/distributed-lock/index.ts");
    const manager = createLockManager({ redis: redis!, ttlMs: 10_000, prefix: "bench:reference:" });
    const cycle = async (i: number) => {
      const lease = await manager.acquire(`resource-${i % resources}`);
      await lease?.release();
    };
    await callsPerSecond(500, concurrency, cycle);
    return callsPerSecond(total, concurrency, cycle);
  },
  async limit({ redis }) {
    const client = redis as Scripted;
    if (!client.katasBenchDelIfOwner) {
      client.defineCommand("katasBenchDelIfOwner", { numberOfKeys: 1, lua: "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0" });
    }
    const cycle = async (i: number) => {
      const key = `bench:limit:resource-${i % resources}`;
      const token = `token-${i}`;
      if ((await client.set(key, token, "PX", 10_000, "NX")) === "OK") await client.katasBenchDelIfOwner(key, token);
    };
    await callsPerSecond(500, concurrency, cycle);
    return callsPerSecond(total, concurrency, cycle);
  },
};
