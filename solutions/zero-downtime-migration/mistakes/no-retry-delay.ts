/**
 * Mistake: (too early) retries at once after a lock timeout, ignoring retryDelayMs: the long transaction that blocked the first attempt is still there.
 */
import { createRunStep, referenceRunner } from "../run-step.ts";
export { createPlan } from "../plan.ts";
export { backfill } from "../backfill.ts";
export { createAppV1, createAppV2 } from "../apps.ts";
export { EmailTakenError, LockTimeoutError } from "../errors.ts";

export const mustFail = ["locks.gives-up-on-time"];

export const runStep = createRunStep({ ...referenceRunner, delay: () => 0 });
