/**
 * Mistake: SELECT to see whether a code is free, then INSERT. Under concurrency every
 * request sees the alias free; the primary key stops the duplicates, but the losers get
 * a unique-violation 500 instead of a 409.
 */
import { toLink, shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["concurrency.alias-race"];

export const { migrate, createApp } = shortenerVariant({
  claim: async (pg, code, url, expiresAt) => {
    const existing = await pg.query("SELECT 1 FROM links WHERE code = $1", [code]);
    if (existing.rowCount) return undefined;
    const result = await pg.query("INSERT INTO links (code, url, expires_at) VALUES ($1, $2, $3) RETURNING *", [code, url, expiresAt]);
    return toLink(result.rows[0]);
  },
});
