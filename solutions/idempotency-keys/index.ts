/**
 * Reference solution: each key is a Postgres row claimed by one atomic upsert (insert,
 * restart when expired, or take over a timed-out lock), a provider call with a key of our
 * own that every retry reuses, and one statement that stores the answer and the payment
 * only while our lock token still holds the key. See NOTES.md.
 */
import type { PaymentsOptions, PaymentsService } from "../../challenges/idempotency-keys/src/index.ts";
import { createPolicyPaymentsApp, referencePolicy } from "./payments-app.ts";

export type { ChargeRequest, PaymentProvider, PaymentsOptions, PaymentsService } from "../../challenges/idempotency-keys/src/index.ts";
export { DeclinedError } from "./declined-error.ts";

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, referencePolicy);
}
