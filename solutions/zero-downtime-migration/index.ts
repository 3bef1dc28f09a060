export { createPlan } from "./plan.ts";
export { runStep } from "./run-step.ts";
export { backfill } from "./backfill.ts";
export { createAppV1, createAppV2 } from "./apps.ts";
export { EmailTakenError, LockTimeoutError } from "./errors.ts";
