/**
 * Mistake: the breaker lives in process memory only: every instance has to discover a failing dependency on its own, and the fleet sends it probes and failures many times over.
 */
import type { Breaker, BreakerOptions } from "../../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "../breaker.ts";
export { BreakerOpenError, CallTimeoutError } from "../breaker-errors.ts";

export const mustFail = ["fleet.shared-opening", "fleet.probes-across-fleet", "fleet.atomic-outcomes", "resilience.redis-down"];

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, { ...referencePolicy, shared: false });
}
