/**
 * Mistake: release is a plain DEL and extend a plain PEXPIRE, without comparing the token.
 * A holder whose lease ran out deletes (or keeps alive) the next holder's lock, and a
 * holder whose lock was taken over keeps extending the new holder's key and never notices.
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { acquireLua, luaLockCommands } from "../lock-commands.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["ownership.stale-holder-cannot-touch", "auto-extend.lost-lock-aborts"];

export function createLockManager(options: LockOptions): LockManager {
  const scripts = {
    acquireLua,
    releaseLua: "return redis.call('DEL', KEYS[1])",
    extendLua: "return redis.call('PEXPIRE', KEYS[1], ARGV[2])",
  };
  return createPolicyLockManager(options, { ...referencePolicy, commands: ({ redis }, prefix) => luaLockCommands(redis, prefix, scripts) });
}
