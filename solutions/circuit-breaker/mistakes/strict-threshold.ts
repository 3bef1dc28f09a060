/**
 * Mistake: opens only when the failure rate is above failureRate (\`f / n > rate\`), so 5 failures in 10 calls at 0.5 never open it.
 */
import type { Breaker, BreakerOptions } from "../../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "../breaker.ts";
export { BreakerOpenError, CallTimeoutError } from "../breaker-errors.ts";

export const mustFail = ["opening.at-threshold"];

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, { ...referencePolicy, flaws: { strictThreshold: true } });
}
