/**
 * Mistake: a probe that times out is not recorded: it rejects, but it neither reopens the breaker nor frees its permit, so every later call is refused until the permit lapses.
 */
import type { Breaker, BreakerOptions } from "../../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "../breaker.ts";
export { BreakerOpenError, CallTimeoutError } from "../breaker-errors.ts";

export const mustFail = ["timeouts.hung-probe"];

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, { ...referencePolicy, recordProbeTimeouts: false });
}
