/**
 * Mistake: every click is an UPDATE in Postgres (as in sql-per-cached-redirect.ts), sent
 * through "a pool of its own for analytics" built from the injected pool's options. The
 * statements are as real there as on the injected pool, and count the same.
 */
import pg from "pg";
import type { ShortenerDeps } from "../../../challenges/url-shortener/src/index.ts";
import { shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["caching.no-sql-when-cached", "resilience.recovers"];
// The slow-redirect race test holds back the injected pool's results; a pool of its own slips past that hold.
export const mayFail = ["caching.delete-races-slow-redirect"];

const variant = shortenerVariant({ clicks: "postgres" });

export const migrate = variant.migrate;

export function createApp(deps: ShortenerDeps) {
  return variant.createApp({ ...deps, pg: new pg.Pool(deps.pg.options) });
}
