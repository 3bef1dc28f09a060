/**
 * Mistake: (too late) no lock_timeout. An ALTER TABLE queued behind a long transaction waits as long as that transaction lasts, and every query on the table queues behind the ALTER.
 */
import { createRunStep, referenceRunner } from "../run-step.ts";
export { createPlan } from "../plan.ts";
export { backfill } from "../backfill.ts";
export { createAppV1, createAppV2 } from "../apps.ts";
export { EmailTakenError, LockTimeoutError } from "../errors.ts";

export const mustFail = ["locks.gives-up-on-time", "locks.app-never-queues"];

export const runStep = createRunStep({ ...referenceRunner, lockTimeout: null });
