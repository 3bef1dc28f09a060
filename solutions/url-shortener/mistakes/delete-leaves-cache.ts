/**
 * Mistake: DELETE updates Postgres but leaves the cached link in Redis, so a deleted link
 * keeps redirecting until its cache entry expires.
 */
import { shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["caching.delete-invalidates", "caching.delete-races-slow-redirect"];

export const { migrate, createApp } = shortenerVariant({ invalidateOnDelete: false });
