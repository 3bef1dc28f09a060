/**
 * Mistake: halfOpenPermits is counted in each instance, so a fleet of three lets three times as many probes hit a dependency that is still recovering.
 */
import type { Breaker, BreakerOptions } from "../../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "../breaker.ts";
export { BreakerOpenError, CallTimeoutError } from "../breaker-errors.ts";

export const mustFail = ["fleet.probes-across-fleet"];

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, { ...referencePolicy, permits: "instance" });
}
