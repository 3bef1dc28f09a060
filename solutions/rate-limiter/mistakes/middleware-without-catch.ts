/**
 * Mistake: the middleware awaits consume() and lets a Redis failure escape. Express 5
 * turns it into a 500 for every request while Redis is down: neither fail-open nor
 * fail-closed, and no recovery visible to clients until Redis returns.
 */
import type { RequestHandler } from "express";
import type { RateLimiter, RateLimitMiddlewareOptions } from "../../../challenges/rate-limiter/src/index.ts";
export { createRateLimiter } from "../index.ts";

export const mustFail = ["resilience.fail-open", "resilience.fail-closed", "resilience.recovers"];

export function rateLimit(limiter: RateLimiter, options: RateLimitMiddlewareOptions = {}): RequestHandler {
  const policy = options.policyName ?? "default";
  return async (req, res, next) => {
    const decision = await limiter.consume(options.keyOf ? options.keyOf(req) : (req.ip ?? "unknown"));
    res.setHeader("RateLimit-Policy", `"${policy}";q=${limiter.limit};w=${Math.ceil(limiter.windowMs / 1000)}`);
    res.setHeader("RateLimit", `"${policy}";r=${decision.remaining};t=${Math.ceil(decision.resetMs / 1000)}`);
    if (decision.allowed) return next();
    const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    res.setHeader("Retry-After", String(seconds));
    res.status(429).json({ error: { code: "RATE_LIMITED", message: `Retry in ${seconds} s.`, retryAfterMs: decision.retryAfterMs } });
  };
}
