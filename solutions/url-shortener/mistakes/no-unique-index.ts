/**
 * Mistake: a serial id as the primary key and the code as a plain column, "because random
 * codes never collide". Nothing indexes the code, so every lookup scans the whole table, and
 * nothing makes it unique, so concurrent creates of one alias all succeed.
 */
import { toLink, shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["concurrency.alias-race", "efficiency.indexed-lookup"];

export const { migrate, createApp } = shortenerVariant({
  table: `CREATE TABLE IF NOT EXISTS links (
    id         bigserial PRIMARY KEY,
    code       text NOT NULL,
    url        text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    deleted_at timestamptz,
    clicks     bigint NOT NULL DEFAULT 0
  )`,
  claim: async (pg, code, url, expiresAt) => {
    const existing = await pg.query("SELECT 1 FROM links WHERE code = $1", [code]);
    if (existing.rowCount) return undefined;
    const result = await pg.query("INSERT INTO links (code, url, expires_at) VALUES ($1, $2, $3) RETURNING *", [code, url, expiresAt]);
    return toLink(result.rows[0]);
  },
});
