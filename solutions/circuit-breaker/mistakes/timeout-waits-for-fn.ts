/**
 * Mistake: (timeout too late) at timeoutMs the signal aborts, but exec() waits for fn to
 * wind down before rejecting: a dependency that ignores its signal holds the caller as
 * long as it hangs, which is what the timeout was for.
 */
import type { Breaker, BreakerOptions } from "../../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "../breaker.ts";
export { BreakerOpenError, CallTimeoutError } from "../breaker-errors.ts";

export const mustFail = ["timeouts.hung-call", "timeouts.counts-once", "timeouts.hung-probe"];

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, { ...referencePolicy, timeout: "wait-for-fn" });
}
