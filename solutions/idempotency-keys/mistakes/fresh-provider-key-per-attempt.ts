/**
 * Mistake: each attempt sends the provider a new random idempotency key. A retry after a charge whose
 * answer was lost (or after a takeover) charges the card a second time.
 */
import { randomUUID } from "node:crypto";
import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["errors.provider-error-unlocks", "crash-recovery.charged-then-error", "crash-recovery.dead-request-taken-over", "crash-recovery.late-request-fenced"];

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, providerKey: () => randomUUID() });
}
