/**
 * Mistake: adds the email CHECK without NOT VALID: Postgres scans the whole table while it holds ACCESS EXCLUSIVE, so nobody can read or write users meanwhile.
 */
import { planWith } from "../plan.ts";
export { runStep } from "../run-step.ts";
export { backfill } from "../backfill.ts";
export { createAppV1, createAppV2 } from "../apps.ts";
export { EmailTakenError, LockTimeoutError } from "../errors.ts";

export const mustFail = ["constraints.not-valid-first", "constraints.validated"];

export function createPlan() {
  return planWith({ "email-not-null-check": { name: "email-not-null-check", sql: "ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_not_null, ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL)", transactional: true } });
}
