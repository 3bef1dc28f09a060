/**
 * Mistake: acquire checks with EXISTS, then SETs the key (without NX) in a second command.
 * Callers that check at the same moment all see a free lock, and all of them take it.
 */
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { luaLockCommands } from "../lock-commands.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";

export const mustFail = ["mutual-exclusion.concurrent-using", "efficiency.round-trips"];
export const mayFail = ["fencing.fences-increase"];

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, {
    ...referencePolicy,
    commands: ({ redis }, prefix) => {
      const lua = luaLockCommands(redis, prefix);
      return {
        ...lua,
        async acquire(resource, token, ttlMs) {
          if (await redis.exists(`${prefix}{${resource}}`)) return null;
          const [, [, fence]] = (await redis.multi().set(`${prefix}{${resource}}`, token, "PX", ttlMs).incr(`${prefix}{${resource}}:fence`).exec()) as [unknown, [unknown, number]];
          return fence;
        },
      };
    },
  });
}
