/**
 * Mistake: after the first Redis error, the service stops using Redis for good (a "circuit
 * breaker" that never closes again). It survives the outage, but never caches again.
 */
import { shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["resilience.recovers"];

export const { migrate, createApp } = shortenerVariant({ onRedisError: "give-up" });
