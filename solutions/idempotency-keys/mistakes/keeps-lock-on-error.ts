/**
 * Mistake: when the provider fails, the key stays locked. Every retry gets 409 until lockTimeoutMs has
 * passed, though nothing is in progress.
 */
import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["errors.provider-error-unlocks", "crash-recovery.charged-then-error"];

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, unlockOnError: false });
}
