/**
 * Mistake: a key with no stored answer yet is free for the taking: the lock is written but never
 * honoured. A duplicate of a request in flight calls the provider again instead of answering 409.
 */

import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { PostgresKeyStore } from "../key-store.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["concurrency.in-flight-duplicate", "concurrency.twenty-at-once", "crash-recovery.dead-request-taken-over"];

class FlawedKeyStore extends PostgresKeyStore {
  protected override lockedBefore(now: Date): Date {
    return new Date(now.getTime() + 365 * 86_400_000);
  }
}

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, store: (pg, storeOptions) => new FlawedKeyStore(pg, storeOptions) });
}
