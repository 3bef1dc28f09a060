/**
 * Mistake: the middleware treats every rejection of consume() as Redis failing, including
 * the RangeError for a key it refuses. keyOf reads a client header, a client sends it
 * empty, keyOf returns "", and failMode "open" waves the request through: an empty
 * header is an unlimited pass (with failMode "closed" it is a 503 instead of an error).
 */
import type { RequestHandler } from "express";
import type { RateLimiter, RateLimitMiddlewareOptions } from "../../../challenges/rate-limiter/src/index.ts";
export { createRateLimiter } from "../index.ts";

export const mustFail = ["http.invalid-key"];

export function rateLimit(limiter: RateLimiter, options: RateLimitMiddlewareOptions = {}): RequestHandler {
  const keyOf = options.keyOf ?? ((req) => req.ip ?? "unknown");
  const failMode = options.failMode ?? "open";
  const policy = options.policyName ?? "default";
  return (req, res, next) => {
    let key: string;
    try {
      key = keyOf(req);
    } catch (error) {
      next(error);
      return;
    }
    limiter
      .consume(key)
      .then(
        (decision) => {
          res.setHeader("RateLimit-Policy", `"${policy}";q=${limiter.limit};w=${Math.ceil(limiter.windowMs / 1000)}`);
          res.setHeader("RateLimit", `"${policy}";r=${decision.remaining};t=${Math.ceil(decision.resetMs / 1000)}`);
          if (decision.allowed) return next();
          const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
          res.setHeader("Retry-After", String(seconds));
          res.status(429).json({ error: { code: "RATE_LIMITED", message: `Retry in ${seconds} s.`, retryAfterMs: decision.retryAfterMs } });
        },
        () => {
          if (failMode === "open") return next();
          res.status(503).json({ error: { code: "RATE_LIMITER_UNAVAILABLE", message: "Rate limiting is unavailable." } });
        },
      )
      .catch(next);
  };
}
