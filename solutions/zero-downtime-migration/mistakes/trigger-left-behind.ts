/**
 * Mistake: contract drops name but leaves the sync trigger: its function still mentions NEW.name, so every v2 insert and update fails from then on.
 */
import { planWith } from "../plan.ts";
export { runStep } from "../run-step.ts";
export { backfill } from "../backfill.ts";
export { createAppV1, createAppV2 } from "../apps.ts";
export { EmailTakenError, LockTimeoutError } from "../errors.ts";

export const mustFail = ["contract.v2-alone"];

export function createPlan() {
  return planWith({ "drop-name": { name: "drop-name", sql: "ALTER TABLE users DROP COLUMN IF EXISTS name", transactional: true } });
}
