/**
 * Mistake: (timeout too late) at timeoutMs the signal aborts, but exec() then gives fn a grace period as long again to wind down before rejecting: a caller that ignores its signal waits twice timeoutMs.
 */
import type { Breaker, BreakerOptions } from "../../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "../breaker.ts";
export { BreakerOpenError, CallTimeoutError } from "../breaker-errors.ts";

export const mustFail = ["timeouts.hung-call"];

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, { ...referencePolicy, timeout: "grace" });
}
