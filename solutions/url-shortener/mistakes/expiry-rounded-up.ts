/**
 * Mistake: expiry is compared in whole Unix seconds, floor(now / 1000) > floor(expiresAt /
 * 1000). A link is 410 only once the second in which it expires is over: up to a second
 * late, still redirecting (and counting clicks) after its expiresAt.
 */
import { shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["redirects.expired", "caching.respects-expiry"];

export const { migrate, createApp } = shortenerVariant({ isExpired: (expiresAtMs, now) => Math.floor(now / 1000) > Math.floor(expiresAtMs / 1000) });
