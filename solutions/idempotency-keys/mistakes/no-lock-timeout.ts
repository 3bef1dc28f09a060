/**
 * Mistake: a locked key is never taken over. A request that died holding it blocks its key with 409
 * until the key expires, hours later.
 */

import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { PostgresKeyStore } from "../key-store.ts";
import { createPolicyPaymentsApp, referencePolicy } from "../payments-app.ts";
export { DeclinedError } from "../declined-error.ts";

export const mustFail = ["crash-recovery.dead-request-taken-over", "crash-recovery.late-request-fenced"];

class FlawedKeyStore extends PostgresKeyStore {
  protected override lockedBefore(): Date {
    return new Date(0);
  }
}

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  return createPolicyPaymentsApp(options, { ...referencePolicy, store: (pg, storeOptions) => new FlawedKeyStore(pg, storeOptions) });
}
