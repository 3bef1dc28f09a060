/**
 * Mistake: keys are unique per key, not per (user, key). Another user who happens to pick the same key
 * gets the first user's payment replayed to them (a data leak), or a 422.
 */
import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["scoping.separate-payments", "scoping.own-replays"];

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, keyOwner: () => "everyone" });
}
