/**
 * Mistake: release and extend check the token with GET, then DEL or PEXPIRE in a second command.
 * Two round trips, and a race: the key can expire and be taken by someone else between
 * the GET and the DEL.
 */
import type { Redis } from "ioredis";
import type { LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";
import { createPolicyLockManager, referencePolicy } from "../lock-manager.ts";
export { createFencedStore } from "../fenced-store.ts";
export { LockBusyError, LockLostError } from "../lock-errors.ts";
import { luaLockCommands } from "../lock-commands.ts";

export const mustFail = ["ownership.one-round-trip", "efficiency.round-trips"];

export function createLockManager(options: LockOptions): LockManager {
  return createPolicyLockManager(options, {
    ...referencePolicy,
    commands: ({ redis }, prefix) => {
      const lua = luaLockCommands(redis, prefix);
      const key = (resource: string) => `${prefix}{${resource}}`;
      const owns = async (client: Redis, resource: string, token: string) => (await client.get(key(resource))) === token;
      return {
        acquire: lua.acquire,
        release: async (resource, token) => (await owns(redis, resource, token)) && (await redis.del(key(resource))) === 1,
        extend: async (resource, token, ms) => (await owns(redis, resource, token)) && (await redis.pexpire(key(resource), ms)) === 1,
      };
    },
  });
}
