/**
 * Mistake: the middleware keys on the first X-Forwarded-For address by default, "to get the
 * real client address behind a load balancer". That entry is whatever the client wrote, so
 * a client that claims a new address on every request is never limited, with or without a
 * proxy. Express's req.ip reads X-Forwarded-For only as far as the app's 'trust proxy'
 * setting allows.
 */
import type { Request, RequestHandler } from "express";
import type { RateLimiter, RateLimitMiddlewareOptions } from "../../../challenges/rate-limiter/src/index.ts";
import { rateLimit as referenceRateLimit } from "../index.ts";
export { createRateLimiter } from "../index.ts";

export const mustFail = ["http.ignores-client-headers", "http.trust-proxy"];

const clientAddress = (req: Request) => req.get("x-forwarded-for")?.split(",")[0]?.trim() || req.ip || "unknown";

export function rateLimit(limiter: RateLimiter, options: RateLimitMiddlewareOptions = {}): RequestHandler {
  return referenceRateLimit(limiter, { ...options, keyOf: options.keyOf ?? clientAddress });
}
