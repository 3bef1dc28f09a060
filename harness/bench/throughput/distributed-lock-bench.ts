import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { callsPerSecond } from "../../testing/concurrency.ts";
import type { ThroughputBench } from "./throughput-bench.ts";

const total = 20_000;
const concurrency = 32;
const resources = 64;

type Scripted = Redis & {
  katasBenchAcquire(key: string, fence: string, token: string, ttlMs: number): Promise<number | null>;
  katasBenchDelIfOwner(key: string, token: string): Promise<number>;
};

/**
 * acquire() + release() of the reference against the least that the spec's work takes: an
 * unguessable token, one script that sets the key NX PX and increments the resource's
 * fence, then one DEL-if-owner script. No retries, lease objects or watchdog.
 */
export const distributedLockBench: ThroughputBench = {
  challenge: "distributed-lock",
  services: ["redis"],
  unit: "cycles/s",
  referenceName: "acquire() + release() (64 resources, fence per lease)",
  limitName: "SET NX PX + INCR fence EVALSHA, DEL-if-owner EVALSHA",
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
      client.defineCommand("katasBenchAcquire", {
        numberOfKeys: 2,
        lua: "if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return redis.call('INCR', KEYS[2]) end return false",
      });
      client.defineCommand("katasBenchDelIfOwner", { numberOfKeys: 1, lua: "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0" });
    }
    const cycle = async (i: number) => {
      const resource = `resource-${i % resources}`;
      const key = `bench:limit:{${resource}}`;
      const token = randomBytes(16).toString("hex");
      if ((await client.katasBenchAcquire(key, `bench:limit:{${resource}}:fence`, token, 10_000)) !== null) await client.katasBenchDelIfOwner(key, token);
    };
    await callsPerSecond(500, concurrency, cycle);
    return callsPerSecond(total, concurrency, cycle);
  },
};
