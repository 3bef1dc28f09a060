/**
 * Mistake: expiry is compared in whole Unix seconds, floor(expiresAt / 1000) <= floor(now /
 * 1000). From the start of the second in which a link expires it is 410: up to a second
 * early, and a link the user was promised until 12:00:00.800 is gone at 12:00:00.000.
 */
import { shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["redirects.expired", "caching.respects-expiry"];

export const { migrate, createApp } = shortenerVariant({ isExpired: (expiresAtMs, now) => Math.floor(expiresAtMs / 1000) <= Math.floor(now / 1000) });
