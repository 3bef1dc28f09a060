/**
 * Reference solution: a count-based failure-rate breaker whose state lives in Redis,
 * changed only by Lua scripts, with a short-lived local view for admission and a local
 * breaker while Redis is unavailable. See NOTES.md.
 */
import type { Breaker, BreakerOptions } from "../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "./breaker.ts";
export type { Breaker, BreakerOptions, BreakerState } from "../../challenges/circuit-breaker/src/index.ts";
export { BreakerOpenError, CallTimeoutError } from "./breaker-errors.ts";

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, referencePolicy);
}
