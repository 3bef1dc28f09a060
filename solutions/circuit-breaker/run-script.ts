import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** A Lua script run by EVALSHA, resent as EVAL when Redis answers NOSCRIPT (a restarted Redis has none). */
export interface Script {
  (redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown>;
  readonly sha: string;
  readonly lua: string;
}

export function isNoScript(error: unknown): boolean {
  return String((error as Error)?.message).startsWith("NOSCRIPT");
}

export function script(lua: string): Script {
  const sha = createHash("sha1").update(lua).digest("hex");
  const run = (redis: Redis, keys: string[], args: (string | number)[]) =>
    redis.evalsha(sha, keys.length, ...keys, ...args).catch((error: unknown) => {
      if (!isNoScript(error)) throw error;
      return redis.eval(lua, keys.length, ...keys, ...args);
    });
  return Object.assign(run, { sha, lua });
}
