/**
 * Mistake: the answer is stored by (user, key) alone, without checking the lock token. A slow request
 * whose key was taken over records a second payment over the first, and answers 201 with it.
 */
import type { Outcome } from "../key-store.ts";
import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { PostgresKeyStore } from "../key-store.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["crash-recovery.late-request-fenced"];

class FlawedKeyStore extends PostgresKeyStore {
  override async complete(userId: string, key: string, _token: string, outcome: Outcome): Promise<boolean> {
    const payment = outcome.payment;
    await this.pg.query("UPDATE idempotency_keys SET response_status = $3, response_body = $4, locked_at = NULL, lock_token = NULL WHERE user_id = $1 AND idempotency_key = $2", [userId, key, outcome.status, outcome.body]);
    if (payment) {
      await this.pg.query("INSERT INTO payments (id, user_id, amount_cents, currency, customer_id, charge_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)", [payment.id, userId, payment.amountCents, payment.currency, payment.customerId, payment.chargeId, payment.createdAt]);
    }
    return true;
  }
}

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, store: (pg, storeOptions) => new FlawedKeyStore(pg, storeOptions) });
}
