/**
 * Mistake: (timeout too early) half of timeoutMs is kept back "for the Redis bookkeeping", so fn is cut off at timeoutMs / 2.
 */
import type { Breaker, BreakerOptions } from "../../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "../breaker.ts";
export { BreakerOpenError, CallTimeoutError } from "../breaker-errors.ts";

export const mustFail = ["timeouts.hung-call"];

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, { ...referencePolicy, timeout: "half" });
}
