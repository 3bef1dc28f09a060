/**
 * Mistake: (open too short) the open period is measured from the first failure in the window, not from the outcome that opened the breaker, so it ends early when failures trickled in.
 */
import type { Breaker, BreakerOptions } from "../../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "../breaker.ts";
export { BreakerOpenError, CallTimeoutError } from "../breaker-errors.ts";

export const mustFail = ["open.lasts-open-ms"];

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, { ...referencePolicy, flaws: { openFromFirstFailure: true } });
}
