/**
 * Mistake: cache-aside with no guard against a concurrent delete. A redirect that misses
 * reads the link from Postgres, a delete commits and DELs the entry, and then the redirect
 * SETs the link it read: the deleted link is cached again and redirects for up to an hour,
 * on every instance. The sequential delete test cannot see it; only a reader held between
 * its Postgres read and its cache write can.
 */
import { shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["caching.delete-races-slow-redirect"];

export const { migrate, createApp } = shortenerVariant({ guardFills: false });
