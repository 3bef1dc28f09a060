/**
 * Mistake: a decline is treated like an error: the key is unlocked and nothing is stored, so the retry
 * charges the card again (and may succeed where the customer was told it failed).
 */
import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["errors.decline-stored"];

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, storeDeclines: false });
}
