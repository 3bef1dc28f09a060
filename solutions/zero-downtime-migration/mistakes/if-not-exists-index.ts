/**
 * Mistake: builds the index with CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS and never looks at pg_index: an INVALID index left by a failed build has the name, so it is skipped and stays INVALID (unique checks on it are never enforced for reads, and it slows every write).
 */
import { planWith } from "../plan.ts";
import { createRunStep, referenceRunner } from "../run-step.ts";
export const runStep = createRunStep({ ...referenceRunner, rebuildInvalidIndexes: false });
export { backfill } from "../backfill.ts";
export { createAppV1, createAppV2 } from "../apps.ts";
export { EmailTakenError, LockTimeoutError } from "../errors.ts";

export const mustFail = ["indexes.rebuilds-invalid"];

export function createPlan() {
  return planWith({ "email-unique-index": { name: "email-unique-index", sql: "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON users (email)", transactional: false } });
}
