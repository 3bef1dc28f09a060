/**
 * URL shortener — your implementation goes here.
 * The spec is in ../README.md. Grade it with: npm run grade url-shortener
 */
import type { Pool } from "pg";
import type { Redis } from "ioredis";
import type { Express } from "express";

export interface ShortenerDeps {
  /** Pool on the service's database, provided by the caller. Don't end() it. */
  pg: Pool;
  /** Connected client (ioredis 5, RESP2), provided by the caller. Don't quit() it. */
  redis: Redis;
  /** Public origin of the short links, e.g. "http://sho.rt"; shortUrl = baseUrl + "/" + code. */
  baseUrl: string;
  /** Makes one code per attempt; injected by tests. Default: 7 random base62 characters. */
  generateCode?: () => string;
}

/** Thrown by the parts you have not written yet; the grader reports them as "not implemented". */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}

/** Creates the schema. Idempotent: safe to run on every start. */
export async function migrate(pg: Pool): Promise<void> {
  throw new NotImplementedError("migrate");
}

/** The whole HTTP service. The caller listens on it. */
export function createApp(deps: ShortenerDeps): Express {
  throw new NotImplementedError("createApp");
}
