/**
 * Mistake: `retries` read as the total number of attempts: one attempt fewer than asked.
 */
import { createRunStep, referenceRunner } from "../run-step.ts";
export { createPlan } from "../plan.ts";
export { backfill } from "../backfill.ts";
export { createAppV1, createAppV2 } from "../apps.ts";
export { EmailTakenError, LockTimeoutError } from "../errors.ts";

export const mustFail = ["locks.gives-up-on-time"];

export const runStep = createRunStep({ ...referenceRunner, attempts: (retries) => Math.max(1, retries) });
