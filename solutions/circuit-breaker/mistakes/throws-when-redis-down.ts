/**
 * Mistake: a failed round trip rejects exec() with the Redis error: when Redis is down, every call fails, even to a healthy dependency, and nothing protects the dependency.
 */
import type { Breaker, BreakerOptions } from "../../../challenges/circuit-breaker/src/index.ts";
import { createPolicyBreaker, referencePolicy } from "../breaker.ts";
export { BreakerOpenError, CallTimeoutError } from "../breaker-errors.ts";

export const mustFail = ["resilience.redis-down", "resilience.redis-hangs"];

export function createBreaker(options: BreakerOptions): Breaker {
  return createPolicyBreaker(options, { ...referencePolicy, whenRedisFails: "throw" });
}
