/**
 * Mistake: adds the CHECK NOT VALID and validates it in the same transaction: the ACCESS EXCLUSIVE lock of the ADD is held for the whole validation scan, which is what NOT VALID was for.
 */
import { planWith } from "../plan.ts";
export { runStep } from "../run-step.ts";
export { backfill } from "../backfill.ts";
export { createAppV1, createAppV2 } from "../apps.ts";
export { EmailTakenError, LockTimeoutError } from "../errors.ts";

export const mustFail = ["constraints.validated"];

export function createPlan() {
  return planWith({ "email-not-null-check": { name: "email-not-null-check", sql: "ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_not_null, ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID; ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null", transactional: true }, "validate-email-check": null });
}
