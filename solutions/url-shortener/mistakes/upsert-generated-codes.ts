/**
 * Mistake: "generated codes never collide, and if one does, don't fail the request":
 * ON CONFLICT (code) DO UPDATE. The rare collision silently repoints somebody else's link.
 */
import { insertIfFree, toLink, shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["concurrency.code-collision"];

export const { migrate, createApp } = shortenerVariant({
  claim: async (pg, code, url, expiresAt, kind) => {
    if (kind === "alias") return insertIfFree(pg, code, url, expiresAt);
    const result = await pg.query(
      `INSERT INTO links (code, url, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (code) DO UPDATE SET url = EXCLUDED.url, expires_at = EXCLUDED.expires_at
       RETURNING *`,
      [code, url, expiresAt],
    );
    return toLink(result.rows[0]);
  },
});
