/**
 * Mistake: every cached link lives for an hour, whatever its expiresAt, and a cache hit is
 * served without looking at the expiry. A link read shortly before it expires keeps
 * redirecting for up to an hour afterwards.
 */
import { shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["caching.respects-expiry"];

export const { migrate, createApp } = shortenerVariant({ cacheTtl: () => 3_600_000, checkCachedExpiry: false });
