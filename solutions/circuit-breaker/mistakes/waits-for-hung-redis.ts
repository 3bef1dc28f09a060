/**
 * Mistake: round trips have no deadline: when Redis hangs, every exec() waits for it (its bookkeeping blocks the caller) instead of deciding locally.
 */
import type { Breaker, BreakerOptions } from "../../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "../breaker.ts";
export { BreakerOpenError, CallTimeoutError } from "../breaker-errors.ts";

export const mustFail = ["resilience.redis-hangs"];

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, { ...referencePolicy, roundTripMs: null });
}
