/**
 * Mistake: (open too long) a refused call is recorded as one more failure, and a failure
 * while open reopens the breaker, so every refusal restarts the open timer: under steady
 * traffic the breaker never half-opens, and the dependency is never probed again.
 */
import type { Breaker, BreakerOptions } from "../../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "../breaker.ts";
export { BreakerOpenError, CallTimeoutError } from "../breaker-errors.ts";

export const mustFail = ["open.lasts-open-ms", "half-open.failed-probe-reopens", "resilience.redis-hangs"];

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, { ...referencePolicy, recordRefusals: true, flaws: { failureWhileOpenRestartsTimer: true } });
}
