/**
 * Shared by the hidden files (not a test file): runs the implementation under test as a
 * real HTTP server and talks to it the way a client would.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { expect, onTestFinished } from "vitest";
import { serve, type GradedContext, type InstrumentedPool, type InstrumentedRedis } from "../../../harness/testing/index.ts";
import { load } from "./implementation.ts";

export const baseUrl = "http://sho.rt";
export const codePattern = /^[0-9A-Za-z]{7}$/;
/** `Date.prototype.toISOString()`'s format, which JSON.stringify uses for dates. */
export const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export type Response = request.Response;
/** A pending supertest request: await it, or chain .timeout(ms) first. */
export type Pending = request.Test;

/** What a 201 from POST /api/links holds. */
export interface CreatedLink {
  code: string;
  shortUrl: string;
  url: string;
  createdAt: string;
  expiresAt: string | null;
}

/** One running instance of the learner's service, with the pool and client it was given. */
export interface Service {
  pool: InstrumentedPool;
  redis: InstrumentedRedis;
  server: http.Server;
  /** POST /api/links with a JSON body. */
  create(body: unknown): Pending;
  /** POST /api/links, insisting on a 201; returns the body. */
  createOk(body: Record<string, unknown>): Promise<CreatedLink>;
  /** GET /:code (redirects are not followed). */
  visit(code: string): Pending;
  /** GET /api/links/:code */
  stats(code: string): Pending;
  /** DELETE /api/links/:code */
  remove(code: string): Pending;
  /** A supertest agent for anything else. */
  http(): ReturnType<typeof request>;
}

export interface ServiceOptions {
  generateCode?: () => string;
  /** Run migrate(pool) first; a second instance on the same database skips it. @default true */
  migrate?: boolean;
  /** The pool to give the instance (a gated one, say). @default a new pool on the test's database */
  pool?: InstrumentedPool;
}

/** The body of a response as a short string, for assertion messages. */
export function show(response: Response | RawResponse): string {
  const status = response.status;
  const location = response.headers.location ? ` Location: ${JSON.stringify(response.headers.location)}` : "";
  const type = response.headers["content-type"] ? ` (${String(response.headers["content-type"]).split(";")[0]})` : "";
  const text = "text" in response && typeof response.text === "string" ? response.text : "body" in response && typeof response.body === "string" ? response.body : "";
  const body = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return `${status}${location}${type}${body ? ` ${body}` : ""}`;
}

/** A request body as it appears in messages: long strings shortened. */
export function describeBody(body: unknown): string {
  const json = JSON.stringify(body, (_key, value: unknown) => (typeof value === "string" && value.length > 60 ? `${value.slice(0, 40)}… (${value.length} chars)` : value));
  return json ?? String(body);
}

export function expectStatus(response: Response | RawResponse, status: number, what: string): void {
  expect(response.status, `${what} answered ${show(response)}`).toBe(status);
}

/** A JSON error body: `{ "error": { "code": <code>, "message": <string> } }`. */
export function expectError(response: Response, status: number, code: string, what: string): void {
  expectStatus(response, status, what);
  expect(String(response.headers["content-type"] ?? ""), `${what}: Content-Type of the ${status}`).toMatch(/application\/json/);
  expect(response.body?.error?.code, `${what} answered ${show(response)}: body.error.code`).toBe(code);
  expect(typeof response.body?.error?.message, `${what} answered ${show(response)}: body.error.message should be a string`).toBe("string");
}

/** A 302 to exactly `url`. */
export function expectRedirect(response: Response | RawResponse, url: string, what: string): void {
  expectStatus(response, 302, what);
  expect(response.headers.location, `${what}: Location must be the stored URL, byte for byte`).toBe(url);
}

/**
 * Starts the implementation on a fresh pool and Redis client, as a real server on a free
 * port; everything is closed when the test ends.
 */
export async function startService(t: GradedContext, options: ServiceOptions = {}): Promise<Service> {
  const { migrate, createApp } = await load(t);
  const pool = options.pool ?? t.postgres();
  if (options.migrate ?? true) await migrate(pool);
  const redis = await t.redis();
  const app = createApp({ pg: pool, redis, baseUrl, ...(options.generateCode ? { generateCode: options.generateCode } : {}) });
  const server = await serve(app);
  const agent = () => request(server);
  return {
    pool,
    redis,
    server,
    create: (body) => (body === undefined ? agent().post("/api/links") : agent().post("/api/links").send(body as object)),
    async createOk(body) {
      const response = await agent().post("/api/links").send(body);
      expectStatus(response, 201, `POST /api/links ${describeBody(body)}`);
      return response.body as CreatedLink;
    },
    visit: (code) => agent().get(`/${code}`),
    stats: (code) => agent().get(`/api/links/${code}`),
    remove: (code) => agent().delete(`/api/links/${code}`),
    http: agent,
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A lean keep-alive HTTP client for bulk traffic (thousands of requests), where
 * supertest's per-request setup would dominate the time.
 */
export function keepAliveClient(server: http.Server, maxSockets = 50) {
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  onTestFinished(() => agent.destroy());
  function send(method: string, path: string, json?: unknown): Promise<RawResponse> {
    const payload = json === undefined ? undefined : JSON.stringify(json);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          method,
          path,
          agent,
          headers: payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
        },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (body += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }
  return {
    get: (path: string) => send("GET", path),
    post: (path: string, json: unknown) => send("POST", path, json),
  };
}

/** A generator that hands out `scripted` codes first, then random ones; records every call. */
export function scriptedCodes(...scripted: string[]): { generateCode: () => string; calls: string[] } {
  const queue = [...scripted];
  const calls: string[] = [];
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  return {
    calls,
    generateCode: () => {
      const code = queue.shift() ?? Array.from({ length: 7 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join("");
      calls.push(code);
      return code;
    },
  };
}

/** Milliseconds since the epoch of an ISO timestamp in a response, or NaN. */
export function instant(value: unknown): number {
  return typeof value === "string" ? Date.parse(value) : Number.NaN;
}

/** Counts the Redis commands a client has sent and not yet had answered. */
export function commandsInFlight(redis: InstrumentedRedis): { readonly count: number } {
  const state = { count: 0 };
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command, stream) => {
    state.count++;
    const done = () => void state.count--;
    command.promise.then(done, done);
    return send(command, stream);
  }) as InstrumentedRedis["sendCommand"];
  return state;
}

/** Whether some client session on the test's database is waiting for a lock (a row lock, an advisory lock...). */
export async function someoneWaitsOnALock(admin: InstrumentedPool): Promise<boolean> {
  const result = await admin.query("SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND wait_event_type = 'Lock'");
  return (result.rows[0]?.waiting ?? 0) > 0;
}
