/**
 * Mistake: the key is claimed with SELECT, then a plain INSERT when nothing was found. Concurrent
 * requests all find nothing; one INSERT wins and the others hit the unique index and answer 500.
 */
import { randomUUID } from "node:crypto";
import type { Claim, ClaimRequest } from "../key-store.ts";
import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { PostgresKeyStore } from "../key-store.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["concurrency.twenty-at-once"];

class FlawedKeyStore extends PostgresKeyStore {
  override async claim(request: ClaimRequest): Promise<Claim> {
    const found = await this.pg.query("SELECT 1 FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2", [request.userId, request.key]);
    if (found.rowCount !== 0) return super.claim(request);
    const token = randomUUID();
    const providerKey = randomUUID();
    await this.pg.query(
      "INSERT INTO idempotency_keys (user_id, idempotency_key, fingerprint, provider_key, created_at, locked_at, lock_token) VALUES ($1, $2, $3, $4, $5, $5, $6)",
      [request.userId, request.key, request.fingerprint, providerKey, request.now, token],
    );
    return { kind: "claimed", token, providerKey };
  }
}

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, store: (pg, storeOptions) => new FlawedKeyStore(pg, storeOptions) });
}
