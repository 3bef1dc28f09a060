/**
 * Mistake: an instance that last saw the breaker closed keeps admitting calls without asking Redis again, however long ago that was: other instances opening the breaker does not stop it.
 */
import type { Breaker, BreakerOptions } from "../../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "../breaker.ts";
export { BreakerOpenError, CallTimeoutError } from "../breaker-errors.ts";

export const mustFail = ["fleet.shared-opening", "fleet.probes-across-fleet", "resilience.redis-down"];

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, { ...referencePolicy, syncMs: Number.POSITIVE_INFINITY });
}
