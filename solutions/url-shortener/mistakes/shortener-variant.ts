/**
 * Builds "a plain, correct shortener with one thing wrong", so each mistake file shows only
 * its flaw. Not a mistake itself (it exports no mustFail). With no flaws it passes the whole
 * suite, though less efficiently than the reference: no Lua (a cached redirect is GET then
 * INCR, two round trips), no write-through, no single flight.
 */
import express, { type ErrorRequestHandler, type Express, type Request, type Response } from "express";
import type { Redis } from "ioredis";
import type { Pool } from "pg";
import type { ShortenerDeps } from "../../../challenges/url-shortener/src/index.ts";
import { ApiError, checkAlias, checkExpiresAt, checkUrl, randomCode, toLink, type StoredLink } from "../index.ts";

export { toLink };

export type Link = StoredLink;

export interface Flaws {
  /** The CREATE TABLE that migrate runs. */
  table?: string;
  /** Claims `code` for a new link; undefined when it is taken. */
  claim?: (pg: Pool, code: string, url: string, expiresAt: Date | null, kind: "alias" | "generated") => Promise<Link | undefined>;
  /** The generator used when none is injected. */
  defaultCode?: () => string;
  /** Validates body.url and returns what to store. */
  checkUrl?: (value: unknown, ownHost: string) => string;
  /** Sends the redirect. */
  redirect?: (res: Response, url: string) => void;
  /** TTL of a cached link. */
  cacheTtl?: (link: Link, now: number) => number;
  /** Check a cached link's expiresAt on every hit. @default true */
  checkCachedExpiry?: boolean;
  /** Whether a link that expires at `expiresAtMs` has expired at `now` (epoch ms). @default expiresAtMs <= now */
  isExpired?: (expiresAtMs: number, now: number) => boolean;
  /** Cache "unknown" for codes that are not in Postgres. @default true */
  negativeCache?: boolean;
  /** Clear the cached entry of a code when it is created. @default true */
  invalidateOnCreate?: boolean;
  /** Clear the cached entry of a code when it is deleted. @default true */
  invalidateOnDelete?: boolean;
  /**
   * Readers only fill gaps (SET ... NX) and a delete leaves a tombstone rather than a gap,
   * so a redirect that read the link before the delete cannot cache it after. @default true
   */
  guardFills?: boolean;
  /** How a click is counted. @default "incr" */
  clicks?: "incr" | "read-modify-write" | "postgres";
  /** What a Redis error does on the redirect path. @default "fallback" */
  onRedisError?: "fallback" | "throw" | "give-up";
  /** Refresh the cached link's TTL on every hit (a third round trip). */
  slidingTtl?: boolean;
  /** Answer 404 at once for a path `:code` that no code or alias can be. @default true */
  checkPathCode?: boolean;
}

const table = `CREATE TABLE IF NOT EXISTS links (
  code       text PRIMARY KEY,
  url        text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  deleted_at timestamptz,
  clicks     bigint NOT NULL DEFAULT 0
)`;
const columns = "code, url, clicks, created_at, expires_at, deleted_at";
/** What a code or an alias can be. */
const codeShape = /^[A-Za-z0-9_-]{3,32}$/;
const unknown = "N";

/** INSERT ... ON CONFLICT DO NOTHING: atomic, and a taken code is left alone. */
export async function insertIfFree(pg: Pool, code: string, url: string, expiresAt: Date | null): Promise<Link | undefined> {
  const result = await pg.query(`INSERT INTO links (code, url, expires_at) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING RETURNING ${columns}`, [code, url, expiresAt]);
  return toLink(result.rows[0]);
}

export function shortenerVariant(flaws: Flaws = {}) {
  const claim = flaws.claim ?? ((pg, code, url, expiresAt) => insertIfFree(pg, code, url, expiresAt));
  const validateUrl = flaws.checkUrl ?? checkUrl;
  const cacheTtl = flaws.cacheTtl ?? ((link, now) => (link.expiresAt ? Math.min(3_600_000, link.expiresAt.getTime() - now) : 3_600_000));
  const redirect =
    flaws.redirect ??
    ((res, url) => {
      res.statusCode = 302;
      res.setHeader("Cache-Control", "no-store");
      res.setHeader("Location", url);
      res.end();
    });
  const isExpired = flaws.isExpired ?? ((expiresAtMs, now) => expiresAtMs <= now);
  const clicks = flaws.clicks ?? "incr";
  const guardFills = flaws.guardFills ?? true;
  /** A cache fill after a miss: NX, so that what a writer put there wins. */
  const fill = (redis: Redis, key: string, value: string, ttl: number) => (guardFills ? redis.set(key, value, "PX", ttl, "NX") : redis.set(key, value, "PX", ttl));
  const onRedisError = flaws.onRedisError ?? "fallback";

  async function migrate(pg: Pool): Promise<void> {
    await pg.query(flaws.table ?? table);
  }

  function createApp(deps: ShortenerDeps): Express {
    const { pg, redis } = deps;
    const ownHost = new URL(deps.baseUrl).hostname;
    const generateCode = deps.generateCode ?? flaws.defaultCode ?? randomCode;
    const linkKey = (code: string) => `variant:link:${code}`;
    const clicksKey = (code: string) => `variant:clicks:${code}`;
    let redisGivenUp = false;

    /** The path's :code, which the client wrote: anything that cannot be a code is unknown. */
    function pathCode(req: Request): string {
      const code = req.params.code as string;
      if ((flaws.checkPathCode ?? true) && !codeShape.test(code)) throw new ApiError(404, "NOT_FOUND", "No such link.");
      return code;
    }

    /** Runs a Redis call as the variant's error policy says; undefined means "Redis failed". */
    async function cache<T>(call: (redis: Redis) => Promise<T>): Promise<T | undefined> {
      if (redisGivenUp) return undefined;
      if (onRedisError === "throw") return call(redis);
      try {
        return await call(redis);
      } catch {
        if (onRedisError === "give-up") redisGivenUp = true;
        return undefined;
      }
    }

    async function countInPostgres(code: string): Promise<void> {
      await pg.query("UPDATE links SET clicks = clicks + 1 WHERE code = $1", [code]);
    }

    /** Counts one click; `seen` is the counter as read with the link (read-modify-write only). */
    async function count(code: string, seen: string | null | undefined): Promise<void> {
      if (clicks === "postgres") return countInPostgres(code);
      const done = await cache<unknown>((r) => (clicks === "incr" ? r.incr(clicksKey(code)) : r.set(clicksKey(code), String(Number(seen ?? 0) + 1))));
      if (done === undefined) await countInPostgres(code);
    }

    const app = express();
    app.post("/api/links", express.json(), async (req: Request, res: Response) => {
      const body: unknown = req.body ?? {};
      if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ApiError(400, "INVALID_BODY", "The body must be a JSON object.");
      const fields = body as Record<string, unknown>;
      const url = validateUrl(fields.url, ownHost);
      const alias = checkAlias(fields.alias);
      const expiresAt = checkExpiresAt(fields.expiresAt, Date.now());
      let link: Link | undefined;
      if (alias !== undefined) {
        link = await claim(pg, alias, url, expiresAt, "alias");
        if (!link) throw new ApiError(409, "ALIAS_TAKEN", `The alias "${alias}" is already taken.`);
      } else {
        for (let attempt = 0; attempt < 8 && !link; attempt++) link = await claim(pg, generateCode(), url, expiresAt, "generated");
        if (!link) throw new ApiError(503, "NO_FREE_CODE", "Could not find a free code.");
      }
      if (flaws.invalidateOnCreate ?? true) await cache((r) => r.del(linkKey(link.code)));
      const shortUrl = `${deps.baseUrl}/${link.code}`;
      res.status(201).location(shortUrl).json({ code: link.code, shortUrl, url: link.url, createdAt: link.createdAt, expiresAt: link.expiresAt });
    });

    app.get("/api/links/:code", async (req: Request, res: Response) => {
      const code = pathCode(req);
      const [result, pending] = await Promise.all([
        pg.query(`SELECT ${columns} FROM links WHERE code = $1 AND deleted_at IS NULL`, [code]),
        cache((r) => r.get(clicksKey(code))),
      ]);
      const link = toLink(result.rows[0]);
      if (!link) throw new ApiError(404, "NOT_FOUND", `No link with code "${code}".`);
      res.json({ code, url: link.url, clicks: link.clicks + Number(pending ?? 0), createdAt: link.createdAt, expiresAt: link.expiresAt });
    });

    app.delete("/api/links/:code", async (req: Request, res: Response) => {
      const code = pathCode(req);
      const result = await pg.query("UPDATE links SET deleted_at = now() WHERE code = $1 AND deleted_at IS NULL", [code]);
      if (result.rowCount === 0) throw new ApiError(404, "NOT_FOUND", `No link with code "${code}".`);
      if (flaws.invalidateOnDelete ?? true) await cache<unknown>((r) => (guardFills ? r.set(linkKey(code), unknown, "PX", 3_600_000) : r.del(linkKey(code))));
      res.status(204).end();
    });

    app.get("/:code", async (req: Request, res: Response) => {
      const code = pathCode(req);
      const now = Date.now();
      // Read-modify-write needs the counter too; reading both keys at once keeps it one round trip.
      const read = await cache((r) => (clicks === "read-modify-write" ? r.mget(linkKey(code), clicksKey(code)) : r.get(linkKey(code)).then((value) => [value, null])));
      const [cached, seen] = read ?? [null, null];
      if (cached === unknown) throw new ApiError(404, "NOT_FOUND", `No link with code "${code}".`);
      if (cached) {
        const link = JSON.parse(cached) as { url: string; expiresAt: number | null };
        if ((flaws.checkCachedExpiry ?? true) && link.expiresAt !== null && isExpired(link.expiresAt, now)) throw new ApiError(410, "GONE", "The link has expired.");
        await count(code, seen);
        if (flaws.slidingTtl) {
          const ttl = link.expiresAt === null ? 3_600_000 : link.expiresAt - now;
          await cache((r) => r.pexpire(linkKey(code), ttl));
        }
        return redirect(res, link.url);
      }
      const link = toLink((await pg.query(`SELECT ${columns} FROM links WHERE code = $1`, [code])).rows[0]);
      if (!link || link.deleted) {
        if (flaws.negativeCache ?? true) await cache((r) => fill(r, linkKey(code), unknown, 60_000));
        throw new ApiError(404, "NOT_FOUND", `No link with code "${code}".`);
      }
      if (link.expiresAt && isExpired(link.expiresAt.getTime(), now)) throw new ApiError(410, "GONE", "The link has expired.");
      const ttl = cacheTtl(link, now);
      await cache((r) => fill(r, linkKey(code), JSON.stringify({ url: link.url, expiresAt: link.expiresAt?.getTime() ?? null }), ttl));
      await count(code, seen);
      redirect(res, link.url);
    });

    const onError: ErrorRequestHandler = (error, _req, res, _next) => {
      if (error instanceof ApiError) return void res.status(error.status).json({ error: { code: error.code, message: error.message } });
      const status = (error as { status?: number }).status;
      if (typeof status === "number" && status >= 400 && status < 500) return void res.status(status).json({ error: { code: "INVALID_BODY", message: "Bad body." } });
      res.status(500).json({ error: { code: "INTERNAL", message: String(error) } });
    };
    app.use(onError);
    return app;
  }

  return { migrate, createApp };
}
