/**
 * Mistake: CREATE UNIQUE INDEX IF NOT EXISTS without CONCURRENTLY: the build holds a SHARE lock that blocks every write for as long as it runs (minutes on a big table), and it skips an INVALID leftover.
 */
import { planWith } from "../plan.ts";
export { runStep } from "../run-step.ts";
export { backfill } from "../backfill.ts";
export { createAppV1, createAppV2 } from "../apps.ts";
export { EmailTakenError, LockTimeoutError } from "../errors.ts";

export const mustFail = ["indexes.concurrently", "indexes.rebuilds-invalid"];

export function createPlan() {
  return planWith({ "email-unique-index": { name: "email-unique-index", sql: "CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON users (email)", transactional: true } });
}
