/**
 * Mistake: resetMs is windowMs on every answer. Right after an admission that is correct,
 * but on a denial the quota is whole again when the newest admission leaves the window,
 * which may be much sooner: clients told to wait a full window wait too long.
 */
import type { RateLimiter, RateLimiterOptions } from "../../../challenges/rate-limiter/src/index.ts";
import { editReference, evalEachTime, slidingLogVariant } from "./sliding-log-variant.ts";
export { rateLimit } from "../index.ts";

export const mustFail = ["rolling-window.reset-ms"];

const lua = editReference("return { 0, limit - used, resetUs, retryUs }", "return { 0, limit - used, windowUs, retryUs }");

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  return slidingLogVariant(lua, evalEachTime(lua), options);
}
