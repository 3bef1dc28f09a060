/**
 * Mistake: too early: the lock timeout is counted in whole seconds, rounded down (4500 ms becomes
 * 4 s), so a live request can lose its key before lockTimeoutMs.
 */

import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { PostgresKeyStore } from "../key-store.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["crash-recovery.dead-request-taken-over"];

class FlawedKeyStore extends PostgresKeyStore {
  protected override lockedBefore(now: Date): Date {
    return new Date(now.getTime() - Math.floor(this.options.lockTimeoutMs / 1000) * 1000);
  }
}

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, store: (pg, storeOptions) => new FlawedKeyStore(pg, storeOptions) });
}
