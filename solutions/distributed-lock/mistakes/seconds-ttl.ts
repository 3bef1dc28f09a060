/**
 * Mistake: (too late) leases in whole seconds, SET with EX ceil(ttlMs / 1000) and EXPIRE for
 * extend. A 600 ms lease lasts a full second, and a lease that ran out by the holder's
 * clock can still be extended.
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { luaLockCommands } from "../lock-commands.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["expiry.lease-lasts-ttl", "expiry.extend-sets-remaining", "ownership.no-resurrection"];

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, {
    ...referencePolicy,
    commands: ({ redis }, prefix) => {
      const lua = luaLockCommands(redis, prefix);
      const seconds = (ms: number) => Math.ceil(ms / 1000);
      return {
        acquire: (resource, token, ttlMs) => lua.acquire(resource, token, seconds(ttlMs) * 1000),
        release: lua.release,
        extend: (resource, token, ms) => lua.extend(resource, token, seconds(ms) * 1000),
      };
    },
  });
}
