/**
 * Mistake: the fence counter gets the lock's TTL, so memory stays bounded. When a lock
 * expires unreleased, the counter goes with it and fences start again at 1: a stale holder's
 * fence equals the new holder's, and the store lets its late write through.
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { acquireLua, extendLua, luaLockCommands, releaseLua } from "../lock-commands.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["fencing.survives-expiry", "fencing.stale-holder-rejected"];

const expiringFence = acquireLua.replace(
  "return redis.call('INCR', KEYS[2])",
  "local fence = redis.call('INCR', KEYS[2])\n  redis.call('PEXPIRE', KEYS[2], ARGV[2])\n  return fence",
);
if (expiringFence === acquireLua) throw new Error("mistake is stale: the reference acquire script changed");

export function createLockManager(options: LockOptions): LockManager {
  const scripts = { acquireLua: expiringFence, releaseLua, extendLua };
  return createPolicyLockManager(options, { ...referencePolicy, commands: ({ redis }, prefix) => luaLockCommands(redis, prefix, scripts) });
}
