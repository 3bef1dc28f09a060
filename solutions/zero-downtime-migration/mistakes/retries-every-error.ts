/**
 * Mistake: retries whatever went wrong, and then reports a lock timeout: a duplicate column is tried again and again, and the real error is hidden.
 */
import { createRunStep, referenceRunner } from "../run-step.ts";
export { createPlan } from "../plan.ts";
export { backfill } from "../backfill.ts";
export { createAppV1, createAppV2 } from "../apps.ts";
export { EmailTakenError, LockTimeoutError } from "../errors.ts";

export const mustFail = ["locks.only-lock-timeouts-retried"];

export const runStep = createRunStep({ ...referenceRunner, retryable: () => true });
