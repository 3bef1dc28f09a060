import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** A Lua script run by EVALSHA, resent as EVAL when Redis answers NOSCRIPT (a restarted Redis has none). */
export interface Script {
  (redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown>;
}

export function script(lua: string): Script {
  const sha = createHash("sha1").update(lua).digest("hex");
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith("NOSCRIPT")) throw error;
      return redis.eval(lua, keys.length, ...keys, ...args);
    }
  };
}
