/**
 * Mistake: the answer is stored as jsonb and sent back with res.json(). jsonb reorders the keys of an
 * object (shortest first) and forgets the original text: the replay is the same data, not the same bytes.
 */

import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { PostgresKeyStore } from "../key-store.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["replay.same-response", "replay.same-fields-any-order"];

class FlawedKeyStore extends PostgresKeyStore {
  override async migrate(): Promise<void> {
    await this.pg.query(`
      CREATE TABLE IF NOT EXISTS idempotency_keys (
        user_id text NOT NULL, idempotency_key text NOT NULL, fingerprint text NOT NULL, provider_key text NOT NULL,
        created_at timestamptz NOT NULL, locked_at timestamptz, lock_token text,
        response_status integer, response_body jsonb,
        PRIMARY KEY (user_id, idempotency_key)
      )`);
    await super.migrate();
  }
}

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, store: (pg, storeOptions) => new FlawedKeyStore(pg, storeOptions) });
}
