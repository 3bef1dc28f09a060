/**
 * Mistake: a provider failure (502) is stored as the key's answer and replayed. The payment can never
 * complete under that key, though the charge may have gone through.
 */
import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["errors.provider-error-unlocks", "crash-recovery.charged-then-error"];

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, storeProviderErrors: true });
}
