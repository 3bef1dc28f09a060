/**
 * Mistake: unknown codes are cached as "not found" (good: it spares Postgres from scanners),
 * but creating the code does not clear that entry, so a fresh link is 404 for a minute.
 */
import { shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["caching.create-after-miss"];

export const { migrate, createApp } = shortenerVariant({ invalidateOnCreate: false });
