/**
 * Reference solution: Postgres is the source of truth; Redis is a read-through cache
 * that also counts clicks. A cached redirect is one EVALSHA and no SQL. See NOTES.md.
 */
import { randomInt } from "node:crypto";
import express, { type ErrorRequestHandler, type Express, type Request, type Response } from "express";
import type { Redis } from "ioredis";
import type { Pool } from "pg";
import type { ShortenerDeps } from "../../challenges/url-shortener/src/index.ts";

export type { ShortenerDeps };

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const codeLength = 7;
const maxUrlLength = 2048;
const aliasPattern = /^[A-Za-z0-9_-]{3,32}$/;
const reservedAliases = new Set(["api", "health"]);
/** Anything a code or an alias can be; other paths are 404 without a query. */
const pathCodePattern = /^[A-Za-z0-9_-]{3,32}$/;
/** A full date-time with a zone, so the instant never depends on the server's time zone. */
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
/** Collisions are rare (see NOTES.md); a handful of attempts means the code space is nearly full. */
const maxCodeAttempts = 8;

// Cache entry lifetimes. Correctness never depends on them: writes overwrite or tombstone
// entries explicitly, and a live entry never outlives its link's expiry.
const linkTtlMs = 60 * 60 * 1000;
const unknownTtlMs = 5 * 60 * 1000;
const tombstoneTtlMs = 60 * 60 * 1000;

/**
 * Cached values: `L<expiresAtMs or empty> <url>` for a live link, `N` for unknown or
 * deleted, `G` for expired. The first byte is enough for the script to decide.
 */
const missing = "N";
const gone = "G";

// Hit path: read the entry and count the click in one atomic round trip. An entry that is
// past its expiry (by the caller's clock) is not counted; the caller answers 410.
const hitScript = `
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, 1) == 'L' then
  local space = string.find(v, ' ', 2, true)
  local expires = string.sub(v, 2, space - 1)
  if expires == '' or tonumber(expires) > tonumber(ARGV[1]) then
    redis.call('INCR', KEYS[2])
  end
end
return v
`;

// Miss path: fill the cache unless a writer got there first (NX: a create's write-through or
// a delete's tombstone always wins over a read that started before it), and count the click.
const fillScript = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX')
return redis.call('INCR', KEYS[2])
`;

type ScriptedRedis = Redis & {
  shortenerHit(linkKey: string, clicksKey: string, nowMs: number): Promise<string | null>;
  shortenerFill(linkKey: string, clicksKey: string, value: string, ttlMs: number): Promise<number>;
};

// The braces are a hash tag: a link's two keys share a Redis Cluster slot, as a script needs.
const linkKey = (code: string) => `short:{${code}}:link`;
const clicksKey = (code: string) => `short:{${code}}:clicks`;

/** A link as stored, read back from a row. */
export interface StoredLink {
  code: string;
  url: string;
  clicks: number;
  createdAt: Date;
  expiresAt: Date | null;
  deleted: boolean;
}

/** An answer other than success: status, machine-readable code, message for humans. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function randomCode(): string {
  let code = "";
  // crypto, not Math.random: the codes must not be predictable from earlier ones.
  for (let i = 0; i < codeLength; i++) code += alphabet[randomInt(alphabet.length)];
  return code;
}

export async function migrate(pg: Pool): Promise<void> {
  const client = await pg.connect();
  try {
    // Two instances booting at once would race on CREATE TABLE IF NOT EXISTS; serialize them.
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext('url-shortener:migrate'))");
    await client.query(`
      CREATE TABLE IF NOT EXISTS links (
        code       text PRIMARY KEY,
        url        text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        deleted_at timestamptz,
        clicks     bigint NOT NULL DEFAULT 0
      )`);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export function toLink(row: Record<string, unknown> | undefined): StoredLink | undefined {
  if (!row) return undefined;
  return {
    code: row.code as string,
    url: row.url as string,
    // bigint arrives as a string from pg; click counts stay far below 2^53.
    clicks: Number(row.clicks),
    createdAt: row.created_at as Date,
    expiresAt: (row.expires_at as Date | null) ?? null,
    deleted: row.deleted_at !== null,
  };
}

export function checkUrl(value: unknown, ownHost: string): string {
  if (typeof value !== "string" || value === "") throw new ApiError(400, "INVALID_URL", "url is required and must be a non-empty string.");
  if (value.length > maxUrlLength) throw new ApiError(400, "INVALID_URL", `url is ${value.length} characters long; the maximum is ${maxUrlLength}.`);
  // Printable ASCII only: no header injection (CR/LF), nothing a parser would silently strip.
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new ApiError(400, "INVALID_URL", "url may contain printable ASCII only: percent-encode spaces, control and non-ASCII characters.");
  }
  if (!/^https?:\/\//i.test(value)) throw new ApiError(400, "INVALID_URL", "url must be an absolute http:// or https:// URL.");
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ApiError(400, "INVALID_URL", "url is not a valid URL.");
  }
  const host = parsed.hostname.replace(/\.$/, "");
  if (host === "") throw new ApiError(400, "INVALID_URL", "url has no host.");
  if (host === ownHost) throw new ApiError(400, "INVALID_URL", `url points at this shortener (${ownHost}); short links to short links are refused.`);
  return value; // stored exactly as sent: new URL() only validates, never rewrites
}

export function checkAlias(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !aliasPattern.test(value)) {
    throw new ApiError(400, "INVALID_ALIAS", "alias must be 3 to 32 characters of A-Z, a-z, 0-9, _ and -.");
  }
  if (reservedAliases.has(value.toLowerCase())) throw new ApiError(400, "INVALID_ALIAS", `alias "${value}" is reserved.`);
  return value;
}

export function checkExpiresAt(value: unknown, now: number): Date | null {
  if (value === undefined || value === null) return null;
  const ms = typeof value === "string" && isoDateTime.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new ApiError(400, "INVALID_EXPIRES_AT", "expiresAt must be an ISO 8601 date-time with a time zone, e.g. 2030-01-31T12:00:00Z.");
  }
  if (ms <= now) throw new ApiError(400, "INVALID_EXPIRES_AT", "expiresAt must be in the future.");
  return new Date(ms);
}

function sendError(res: Response, error: ApiError): void {
  res.status(error.status).json({ error: { code: error.code, message: error.message } });
}

const notFound = (code: string) => new ApiError(404, "NOT_FOUND", `No link with code "${code}".`);
const expired = (code: string) => new ApiError(410, "GONE", `The link "${code}" has expired.`);

function liveEntry(link: StoredLink): string {
  return `L${link.expiresAt ? link.expiresAt.getTime() : ""} ${link.url}`;
}

/** How long a live entry may stay cached: never past the link's expiry. */
function liveTtl(link: StoredLink, now: number): number {
  return link.expiresAt ? Math.min(linkTtlMs, link.expiresAt.getTime() - now) : linkTtlMs;
}

export function createApp(deps: ShortenerDeps): Express {
  const { pg } = deps;
  const redis = deps.redis as ScriptedRedis;
  const baseUrl = deps.baseUrl.replace(/\/+$/, "");
  const ownHost = new URL(baseUrl).hostname.replace(/\.$/, "");
  const generateCode = deps.generateCode ?? randomCode;
  if (typeof redis.shortenerHit !== "function") redis.defineCommand("shortenerHit", { numberOfKeys: 2, lua: hitScript });
  if (typeof redis.shortenerFill !== "function") redis.defineCommand("shortenerFill", { numberOfKeys: 2, lua: fillScript });

  /**
   * Single flight: concurrent misses for one code share one query, so a viral link whose
   * entry just expired costs Postgres one lookup per instance, not one per request.
   */
  const inflight = new Map<string, Promise<StoredLink | undefined>>();
  function lookup(code: string): Promise<StoredLink | undefined> {
    let pending = inflight.get(code);
    if (!pending) {
      const query = pg
        .query("SELECT code, url, clicks, created_at, expires_at, deleted_at FROM links WHERE code = $1", [code])
        .then((result) => toLink(result.rows[0]));
      pending = query.finally(() => {
        if (inflight.get(code) === pending) inflight.delete(code);
      });
      inflight.set(code, pending);
    }
    return pending;
  }

  /** Best effort: Redis is a cache, so a failed write never fails the request. */
  function cacheQuietly(command: Promise<unknown>): Promise<void> {
    return command.then(
      () => undefined,
      () => undefined,
    );
  }

  async function insert(code: string, url: string, expiresAt: Date | null): Promise<StoredLink | undefined> {
    // ON CONFLICT DO NOTHING: the unique key decides atomically, and a taken code is left untouched.
    const result = await pg.query(
      `INSERT INTO links (code, url, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (code) DO NOTHING
       RETURNING code, url, clicks, created_at, expires_at, deleted_at`,
      [code, url, expiresAt],
    );
    return toLink(result.rows[0]);
  }

  async function create(req: Request, res: Response): Promise<void> {
    const body: unknown = req.body ?? {};
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ApiError(400, "INVALID_BODY", "The body must be a JSON object.");
    const fields = body as Record<string, unknown>;
    const now = Date.now();
    const url = checkUrl(fields.url, ownHost);
    const alias = checkAlias(fields.alias);
    const expiresAt = checkExpiresAt(fields.expiresAt, now);

    let link: StoredLink | undefined;
    if (alias !== undefined) {
      link = await insert(alias, url, expiresAt);
      if (!link) throw new ApiError(409, "ALIAS_TAKEN", `The alias "${alias}" is already taken.`);
    } else {
      for (let attempt = 0; attempt < maxCodeAttempts && !link; attempt++) link = await insert(generateCode(), url, expiresAt);
      if (!link) throw new ApiError(503, "NO_FREE_CODE", "Could not find a free code; try again.");
    }

    // Write-through: overwrites a negative entry cached while the code was unknown.
    inflight.delete(link.code);
    const ttl = liveTtl(link, Date.now());
    if (ttl > 0) await cacheQuietly(redis.set(linkKey(link.code), liveEntry(link), "PX", ttl));

    const shortUrl = `${baseUrl}/${link.code}`;
    res
      .status(201)
      .location(shortUrl)
      .json({ code: link.code, shortUrl, url: link.url, createdAt: link.createdAt, expiresAt: link.expiresAt });
  }

  async function redirect(req: Request, res: Response): Promise<void> {
    const code = req.params.code as string;
    if (!pathCodePattern.test(code)) throw notFound(code);
    const now = Date.now();

    let redisUp = true;
    let cached: string | null = null;
    try {
      cached = await redis.shortenerHit(linkKey(code), clicksKey(code), now);
    } catch {
      redisUp = false; // fall back to Postgres; the client reconnects on its own
    }
    if (cached !== null) {
      if (cached === missing) throw notFound(code);
      if (cached === gone) throw expired(code);
      const space = cached.indexOf(" ");
      const expiresAt = space > 1 ? Number(cached.slice(1, space)) : null;
      if (expiresAt !== null && expiresAt <= now) throw expired(code);
      return sendRedirect(res, cached.slice(space + 1));
    }

    const link = await lookup(code);
    if (!link || link.deleted) {
      if (redisUp) await cacheQuietly(redis.set(linkKey(code), missing, "PX", link ? tombstoneTtlMs : unknownTtlMs, "NX"));
      throw notFound(code);
    }
    if (link.expiresAt && link.expiresAt.getTime() <= now) {
      if (redisUp) await cacheQuietly(redis.set(linkKey(code), gone, "PX", tombstoneTtlMs, "NX"));
      throw expired(code);
    }
    let counted = false;
    if (redisUp) {
      counted = await redis.shortenerFill(linkKey(code), clicksKey(code), liveEntry(link), liveTtl(link, now)).then(
        () => true,
        () => false,
      );
    }
    // Redis is down: count in Postgres so the click is not lost.
    if (!counted) await pg.query("UPDATE links SET clicks = clicks + 1 WHERE code = $1", [code]);
    sendRedirect(res, link.url);
  }

  function sendRedirect(res: Response, url: string): void {
    // 302 plus no-store: browsers come back on every click, so every click is counted.
    // setHeader, not res.location()/res.redirect(): those percent-encode some characters.
    res.statusCode = 302;
    res.setHeader("Cache-Control", "private, no-store");
    res.setHeader("Location", url);
    res.end();
  }

  async function stats(req: Request, res: Response): Promise<void> {
    const code = req.params.code as string;
    if (!pathCodePattern.test(code)) throw notFound(code);
    // Clicks live in two places: Postgres, plus Redis's counter for the cached path.
    const [result, pending] = await Promise.all([
      pg.query("SELECT code, url, clicks, created_at, expires_at, deleted_at FROM links WHERE code = $1 AND deleted_at IS NULL", [code]),
      redis.get(clicksKey(code)).catch(() => null),
    ]);
    const link = toLink(result.rows[0]);
    if (!link) throw notFound(code);
    res.json({ code: link.code, url: link.url, clicks: link.clicks + Number(pending ?? 0), createdAt: link.createdAt, expiresAt: link.expiresAt });
  }

  async function remove(req: Request, res: Response): Promise<void> {
    const code = req.params.code as string;
    if (!pathCodePattern.test(code)) throw notFound(code);
    // Soft delete: the code stays taken, so an old printed link never starts pointing elsewhere.
    const result = await pg.query("UPDATE links SET deleted_at = now() WHERE code = $1 AND deleted_at IS NULL", [code]);
    if (result.rowCount === 0) throw notFound(code);
    inflight.delete(code);
    // A tombstone rather than DEL: a read that started before the delete cannot refill it (NX).
    await cacheQuietly(redis.multi().set(linkKey(code), missing, "PX", tombstoneTtlMs).del(clicksKey(code)).exec());
    res.status(204).end();
  }

  const app = express();
  app.disable("x-powered-by");
  app.post("/api/links", express.json({ limit: "16kb" }), create);
  app.get("/api/links/:code", stats);
  app.delete("/api/links/:code", remove);
  app.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/:code", redirect);
  app.use((req, _res, next) => next(new ApiError(404, "NOT_FOUND", `No route for ${req.method} ${req.path}.`)));
  const onError: ErrorRequestHandler = (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof ApiError) return sendError(res, error);
    // body-parser's errors: malformed JSON, wrong charset, too large.
    const status = (error as { status?: number }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      return sendError(res, new ApiError(status, "INVALID_BODY", "The body must be a JSON object."));
    }
    console.error(error);
    sendError(res, new ApiError(500, "INTERNAL", "Something went wrong."));
  };
  app.use(onError);
  return app;
}
