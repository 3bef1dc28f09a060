/**
 * Mistake: too early: a key expires lockTimeoutMs after its first request instead of keyTtlMs, so
 * a retry a little later charges again.
 */

import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { PostgresKeyStore } from "../key-store.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["crash-recovery.dead-request-taken-over", "crash-recovery.late-request-fenced", "expiry.new-request-after-ttl", "expiry.reaper"];

class FlawedKeyStore extends PostgresKeyStore {
  protected override expiredBefore(now: Date): Date {
    return new Date(now.getTime() - this.options.lockTimeoutMs);
  }
}

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, store: (pg, storeOptions) => new FlawedKeyStore(pg, storeOptions) });
}
