/**
 * Mistake: reapExpiredKeys() deletes keys older than lockTimeoutMs instead of keyTtlMs: keys that
 * should still replay are gone, and their retries charge again.
 */

import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { PostgresKeyStore } from "../key-store.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["expiry.reaper"];

class FlawedKeyStore extends PostgresKeyStore {
  override async reap(now: Date): Promise<number> {
    const result = await this.pg.query("DELETE FROM idempotency_keys WHERE created_at <= $1", [new Date(now.getTime() - this.options.lockTimeoutMs)]);
    return result.rowCount ?? 0;
  }
}

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, store: (pg, storeOptions) => new FlawedKeyStore(pg, storeOptions) });
}
