/**
 * Mistake: (open too long) the open period is rounded up to whole seconds, as a key with EX and a TTL of ceil(openMs / 1000) would: 400 ms become 1 s.
 */
import type { Breaker, BreakerOptions } from "../../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "../breaker.ts";
export { BreakerOpenError, CallTimeoutError } from "../breaker-errors.ts";

export const mustFail = ["open.lasts-open-ms"];

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, { ...referencePolicy, flaws: { openInSeconds: true } });
}
