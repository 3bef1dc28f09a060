/**
 * Mistake: contract sets full_name NOT NULL straight away: without a validated CHECK, SET NOT NULL scans the table under ACCESS EXCLUSIVE.
 */
import { planWith } from "../plan.ts";
export { runStep } from "../run-step.ts";
export { backfill } from "../backfill.ts";
export { createAppV1, createAppV2 } from "../apps.ts";
export { EmailTakenError, LockTimeoutError } from "../errors.ts";

export const mustFail = ["constraints.validated"];

export function createPlan() {
  return planWith({ "full-name-not-null-check": null, "validate-full-name-check": null });
}
