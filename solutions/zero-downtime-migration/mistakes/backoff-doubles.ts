/**
 * Mistake: (too late) doubles the wait after each timed-out attempt, which nobody asked for: retryDelayMs, then twice that.
 */
import { createRunStep, referenceRunner } from "../run-step.ts";
export { createPlan } from "../plan.ts";
export { backfill } from "../backfill.ts";
export { createAppV1, createAppV2 } from "../apps.ts";
export { EmailTakenError, LockTimeoutError } from "../errors.ts";

export const mustFail = ["locks.gives-up-on-time"];

export const runStep = createRunStep({ ...referenceRunner, delay: (retryDelayMs, next) => retryDelayMs * 2 ** (next - 2) });
