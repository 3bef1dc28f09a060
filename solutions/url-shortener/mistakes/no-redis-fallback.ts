/**
 * Mistake: Redis errors are not caught on the redirect path. While Redis is down every
 * redirect is a 500, although Postgres has every link.
 */
import { shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["resilience.redirects-without-redis"];

export const { migrate, createApp } = shortenerVariant({ onRedisError: "throw" });
