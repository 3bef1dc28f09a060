/** The spec's error classes, as the stub defines them: one definition for the learner and the reference. */
export { EmailTakenError, LockTimeoutError } from "../../challenges/zero-downtime-migration/src/index.ts";
