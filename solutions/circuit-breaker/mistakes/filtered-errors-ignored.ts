/**
 * Mistake: a rejection that isFailure clears is not recorded at all (it should count as a success), so the window holds only the real failures and opens on too few calls.
 */
import type { Breaker, BreakerOptions } from "../../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "../breaker.ts";
export { BreakerOpenError, CallTimeoutError } from "../breaker-errors.ts";

export const mustFail = ["filtering.is-failure"];

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, { ...referencePolicy, filtered: "ignored" });
}
