/**
 * Mistake: the client's Idempotency-Key goes to the provider as it is. Two users who pick the same key
 * share one provider charge (the second is never charged), and a key used again after it expired
 * gets the old charge back or an error from the provider.
 */
import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["scoping.separate-payments", "scoping.own-replays", "expiry.new-request-after-ttl", "expiry.reaper"];

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, providerKey: (_stored, _userId, key) => key });
}
