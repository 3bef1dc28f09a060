/**
 * Mistake: the link comes from the cache, but every click is an UPDATE in Postgres. The
 * cache saves a read and keeps every write: Postgres still takes one statement per click.
 */
import { shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["caching.no-sql-when-cached", "resilience.recovers"];

export const { migrate, createApp } = shortenerVariant({ clicks: "postgres" });
