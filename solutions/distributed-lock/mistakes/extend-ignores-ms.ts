/**
 * Mistake: (too early) extend(ms) always renews for ttlMs: the lease the caller asked
 * for (600 ms) ends after 400 ms, while the holder believes it has 600.
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { luaLockCommands } from "../lock-commands.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["expiry.extend-sets-remaining"];

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, {
    ...referencePolicy,
    commands: ({ redis, ttlMs }, prefix) => {
      const lua = luaLockCommands(redis, prefix);
      return { ...lua, extend: (resource, token) => lua.extend(resource, token, ttlMs) };
    },
  });
}
