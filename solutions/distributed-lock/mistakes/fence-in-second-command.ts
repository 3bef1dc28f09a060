/**
 * Mistake: takes the lock with SET NX PX, then INCRs the fence counter in a second command.
 * Correct fences, but two round trips per acquire (and a crash between them leaves a lock
 * without a fence).
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";
import { luaLockCommands } from "../lock-commands.ts";

export const mustFail = ["efficiency.round-trips"];

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, {
    ...referencePolicy,
    commands: ({ redis }, prefix) => {
      const lua = luaLockCommands(redis, prefix);
      return {
        ...lua,
        async acquire(resource, token, ttlMs) {
          const taken = await redis.set(`${prefix}{${resource}}`, token, "PX", ttlMs, "NX");
          return taken === "OK" ? redis.incr(`${prefix}{${resource}}:fence`) : null;
        },
      };
    },
  });
}
