/** The spec's error classes, as the stub defines them: one definition for the learner and the reference. */
export { BreakerOpenError, CallTimeoutError } from "../../challenges/circuit-breaker/src/index.ts";
