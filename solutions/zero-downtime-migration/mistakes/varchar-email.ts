/**
 * Mistake: expand also caps email at varchar(254) "while we are at it": ALTER COLUMN ... TYPE rewrites the whole table under ACCESS EXCLUSIVE.
 */
import { planWith } from "../plan.ts";
export { runStep } from "../run-step.ts";
export { backfill } from "../backfill.ts";
export { createAppV1, createAppV2 } from "../apps.ts";
export { EmailTakenError, LockTimeoutError } from "../errors.ts";

export const mustFail = ["expand.no-rewrite", "contract.v2-alone"];

export function createPlan() {
  return planWith({ "add-full-name": [{ name: "add-full-name", sql: "ALTER TABLE users ADD COLUMN IF NOT EXISTS full_name text", transactional: true }, { name: "email-varchar", sql: "ALTER TABLE users ALTER COLUMN email TYPE varchar(254)", transactional: true }] });
}
