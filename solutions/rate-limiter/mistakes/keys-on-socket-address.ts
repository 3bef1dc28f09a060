/**
 * Mistake: the middleware keys on the socket's peer address by default, so that no header
 * can change it. Spoofing is out, but behind a load balancer every request comes from the
 * balancer: all clients share one limit, and the app's 'trust proxy' setting (which req.ip
 * follows) is ignored.
 */
import type { Request, RequestHandler } from "express";
import type { RateLimiter, RateLimitMiddlewareOptions } from "../../../challenges/rate-limiter/src/index.ts";
import { rateLimit as referenceRateLimit } from "../index.ts";
export { createRateLimiter } from "../index.ts";

export const mustFail = ["http.trust-proxy"];

const socketAddress = (req: Request) => req.socket.remoteAddress ?? "unknown";

export function rateLimit(limiter: RateLimiter, options: RateLimitMiddlewareOptions = {}): RequestHandler {
  return referenceRateLimit(limiter, { ...options, keyOf: options.keyOf ?? socketAddress });
}
