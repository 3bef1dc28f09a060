/**
 * Mistake: an outcome is recorded by reading the state and the window, deciding in
 * JavaScript, and writing the result back (one command each, then a MULTI). Instances
 * that record at the same moment read the same window and overwrite each other's
 * outcomes, so a burst of failures across the fleet goes partly uncounted; and every
 * outcome costs three round trips instead of one.
 */
import type { Redis } from "ioredis";
import type { Breaker, BreakerOptions } from "../../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "../breaker.ts";
import { recordLua } from "../breaker-scripts.ts";
import { script } from "../run-script.ts";
export { BreakerOpenError, CallTimeoutError } from "../breaker-errors.ts";

export const mustFail = ["fleet.atomic-outcomes", "efficiency.round-trips"];

const probeRecord = script(recordLua());

async function readModifyWrite(redis: Redis, keys: string[], args: (string | number)[]): Promise<number[]> {
  if (args[1] === 1) return (await probeRecord(redis, keys, args)) as number[];
  const [hash, window] = keys as [string, string];
  const failed = args[0] === "1";
  const [windowSize, minimumCalls, failureRate, openMs] = [Number(args[4]), Number(args[5]), Number(args[6]), Number(args[7])];
  const state = await redis.hmget(hash, "s", "u", "g");
  const outcomes = await redis.lrange(window, 0, -1);
  const s = Number(state[0] ?? 0);
  const u = Number(state[1] ?? 0);
  const g = Number(state[2] ?? 0);
  const now = Date.now();
  if (s !== 0) return [s, Math.max(u - now, 0), g];
  const next = [failed ? "1" : "0", ...outcomes].slice(0, windowSize);
  const failures = next.filter((outcome) => outcome === "1").length;
  if (next.length >= minimumCalls && failures / next.length >= failureRate) {
    await redis.multi().hset(hash, "s", 1, "u", now + openMs, "g", g + 1, "f", 0, "k", 0).del(window).exec();
    return [1, openMs, g + 1];
  }
  await redis.multi().del(window).rpush(window, ...next).hset(hash, "f", failures).exec();
  return [0, 0, g];
}

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, { ...referencePolicy, batchOutcomes: false, record: readModifyWrite });
}
