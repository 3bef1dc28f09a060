/**
 * Mistake: the key is claimed before the body is validated. The 400 leaves the key bound to the invalid
 * body, so the client's corrected request with the same key is refused with 422.
 */
import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["errors.validation-not-stored"];

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, validateAfterClaim: true });
}
