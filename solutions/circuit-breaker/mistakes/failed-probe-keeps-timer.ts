/**
 * Mistake: a failed probe reopens the breaker but keeps the old open timer, which has already run out: the breaker half-opens again at once and the dependency gets no rest.
 */
import type { Breaker, BreakerOptions } from "../../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "../breaker.ts";
export { BreakerOpenError, CallTimeoutError } from "../breaker-errors.ts";

export const mustFail = ["half-open.failed-probe-reopens", "timeouts.hung-probe"];

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, { ...referencePolicy, flaws: { failedProbeKeepsTimer: true } });
}
