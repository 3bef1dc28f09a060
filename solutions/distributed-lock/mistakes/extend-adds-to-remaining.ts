/**
 * Mistake: (too late) extend(ms) adds ms to what is left of the lease (PTTL + ms) instead
 * of setting it to ms: a lock extended right after acquiring lives for ttlMs + ms.
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { acquireLua, luaLockCommands, releaseLua } from "../lock-commands.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["expiry.extend-sets-remaining"];

const additiveExtend = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], redis.call('PTTL', KEYS[1]) + tonumber(ARGV[2]))
end
return 0
`;

export function createLockManager(options: LockOptions): LockManager {
  const scripts = { acquireLua, releaseLua, extendLua: additiveExtend };
  return createPolicyLockManager(options, { ...referencePolicy, commands: ({ redis }, prefix) => luaLockCommands(redis, prefix, scripts) });
}
