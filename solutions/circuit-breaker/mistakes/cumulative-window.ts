/**
 * Mistake: the window never slides: every outcome since the breaker last closed counts, so a burst of failures after a long healthy run is diluted by outcomes that should have left the window.
 */
import type { Breaker, BreakerOptions } from "../../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "../breaker.ts";
export { BreakerOpenError, CallTimeoutError } from "../breaker-errors.ts";

export const mustFail = ["opening.sliding-window"];

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, { ...referencePolicy, flaws: { cumulative: true } });
}
