/**
 * The three Redis operations of a lock, each one atomic Lua script (one EVALSHA; ioredis
 * resends it as EVAL on NOSCRIPT, e.g. after a restart).
 */
import type { Redis } from "ioredis";

/** What the lock manager needs from Redis. */
export interface LockCommands {
  /** Takes the lock if free; returns the new fence, or null when it is taken. */
  acquire(resource: string, token: string, ttlMs: number): Promise<number | null>;
  /** Deletes the lock if `token` holds it. */
  release(resource: string, token: string): Promise<boolean>;
  /** Sets the lock's TTL to `ms` if `token` holds it. */
  extend(resource: string, token: string, ms: number): Promise<boolean>;
}

// The fence counter has no TTL: it must outlive every lock on the resource, or fences would restart at 1.
export const acquireLua = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return false
`;

export const releaseLua = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

export const extendLua = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

type Scripted = Redis & {
  katasLockAcquire(lock: string, fence: string, token: string, ttlMs: number): Promise<number | null>;
  katasLockRelease(lock: string, token: string): Promise<number>;
  katasLockExtend(lock: string, token: string, ms: number): Promise<number>;
};

/** Registers the scripts on `redis` (once) and binds them to keys under `prefix`. */
export function luaLockCommands(redis: Redis, prefix: string, scripts = { acquireLua, releaseLua, extendLua }): LockCommands {
  const client = redis as Scripted;
  // Registered under names unique to the script text, so a mistake's edited scripts never shadow these.
  if (typeof client.katasLockAcquire !== "function" || (client as { katasLockScripts?: unknown }).katasLockScripts !== scripts.acquireLua + scripts.releaseLua + scripts.extendLua) {
    client.defineCommand("katasLockAcquire", { numberOfKeys: 2, lua: scripts.acquireLua });
    client.defineCommand("katasLockRelease", { numberOfKeys: 1, lua: scripts.releaseLua });
    client.defineCommand("katasLockExtend", { numberOfKeys: 1, lua: scripts.extendLua });
    (client as { katasLockScripts?: unknown }).katasLockScripts = scripts.acquireLua + scripts.releaseLua + scripts.extendLua;
  }
  // The hash tag keeps a resource's lock and fence counter in one Cluster slot, as a two-key script needs.
  const lockKey = (resource: string) => `${prefix}{${resource}}`;
  const fenceKey = (resource: string) => `${prefix}{${resource}}:fence`;
  return {
    async acquire(resource, token, ttlMs) {
      const fence = await client.katasLockAcquire(lockKey(resource), fenceKey(resource), token, ttlMs);
      return fence === null ? null : Number(fence);
    },
    async release(resource, token) {
      return (await client.katasLockRelease(lockKey(resource), token)) === 1;
    },
    async extend(resource, token, ms) {
      return (await client.katasLockExtend(lockKey(resource), token, ms)) === 1;
    },
  };
}
