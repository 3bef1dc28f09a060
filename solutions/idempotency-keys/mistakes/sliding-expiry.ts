/**
 * Mistake: too late: every replay renews the key (its expiry counts from the last request, not the
 * first), so a key that clients keep retrying never expires.
 */
import type { Claim, ClaimRequest } from "../key-store.ts";
import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { PostgresKeyStore } from "../key-store.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["expiry.new-request-after-ttl", "expiry.reaper"];

class FlawedKeyStore extends PostgresKeyStore {
  protected override async inspect(request: ClaimRequest): Promise<Claim | undefined> {
    const found = await super.inspect(request);
    if (found?.kind === "completed") {
      await this.pg.query("UPDATE idempotency_keys SET created_at = $3 WHERE user_id = $1 AND idempotency_key = $2", [request.userId, request.key, request.now]);
    }
    return found;
  }
}

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, store: (pg, storeOptions) => new FlawedKeyStore(pg, storeOptions) });
}
