/**
 * Mistake: the fingerprint is a hash of the raw body text. The same fields in another order, or with other spacing, look like another request: a
 * correct retry from a client that re-serialises its body is refused with 422.
 */
import { createHash } from "node:crypto";
import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["replay.same-fields-any-order"];

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, fingerprint: (_request, rawBody) => createHash("sha256").update(rawBody).digest("hex") });
}
