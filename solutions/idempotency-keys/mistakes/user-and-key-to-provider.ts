/**
 * Mistake: the provider's idempotency key is user + key. Unique per user, and the same on every retry,
 * but also the same after the key expired: the new payment gets the old charge back (or the provider
 * refuses another amount under an old key).
 */
import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["expiry.new-request-after-ttl", "expiry.reaper"];

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, providerKey: (_stored, userId, key) => `${userId}:${key}` });
}
