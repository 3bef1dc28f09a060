/**
 * Shared by the hidden files (not a test file): an Express app with the learner's
 * middleware in front of handlers the test holds on gates, served on loopback, and a
 * raw HTTP client whose requests can be aborted.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { assert, expect, onTestFinished } from "vitest";
import { eventually, type GradedContext } from "../../../harness/testing/index.ts";
import type { Admission, AdmissionOptions } from "../src/index.ts";
import { load } from "./implementation.ts";

/** What came back for one request. */
export interface Reply {
  status: number;
  retryAfter: string | undefined;
  contentType: string | undefined;
  body: string;
  /** performance.now() when the whole response had arrived. */
  at: number;
  /** Milliseconds from sending the request to having the whole response. */
  elapsedMs: number;
}

/** One request in flight from the test's client. */
export interface Call {
  id: string;
  sentAt: number;
  /** Settles with the reply, or with null if the connection ended without one. */
  reply: Promise<Reply | null>;
  /** The client gives up: destroys its socket. */
  abort(): void;
}

export interface Service {
  admission: Admission;
  /** Ids whose handler started, in order. */
  entered: string[];
  /** Handlers running right now (counted by the handlers), and the most ever at once. */
  running(): number;
  peak(): number;
  /** GET /work/<id>: a handler that waits until the test releases it, then answers 200. */
  send(id: string, options?: { priority?: string; path?: string }): Call;
  release(id: string): void;
  releaseAll(): void;
  /** GET /sample: a handler that moves `clock` forward by `ms` and answers 200 at once; resolves when the client has the response. */
  sample(ms: number): Promise<void>;
  /** Waits (bounded) until `count` handlers have started. */
  untilEntered(count: number, what: string): Promise<void>;
  /** Waits (bounded) until queued() is `count`. */
  untilQueued(count: number, what: string): Promise<void>;
  /** Waits (bounded) until inflight() is `count`. */
  untilInflight(count: number, what: string): Promise<void>;
}

/** A clock the test moves by hand, for the adaptive limit's latency samples. */
export class TestClock {
  private ms = 1_000_000;
  readonly now = () => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

const bound = { timeoutMs: 2500, intervalMs: 5 };

/** Rejects with `what` if `promise` takes longer than `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      try {
        assert.fail(`${what}: no response after ${ms} ms`);
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Serves the learner's middleware, built with `options`, in front of gated handlers. */
export async function serve(t: GradedContext, options: AdmissionOptions, clock?: TestClock): Promise<Service> {
  const { createAdmission } = await load(t);
  const admission = createAdmission(options);
  const entered: string[] = [];
  const gates = new Map<string, () => void>();
  const released = new Set<string>();
  let running = 0;
  let peak = 0;

  const app = express();
  app.use(admission.middleware);
  const handler = (after: (res: express.Response) => void) => async (req: express.Request, res: express.Response) => {
    const id = String(req.params.id);
    running++;
    peak = Math.max(peak, running);
    entered.push(id);
    try {
      if (!released.has(id)) await new Promise<void>((resolve) => gates.set(id, resolve));
    } finally {
      running--;
    }
    after(res);
  };
  app.get(
    "/work/:id",
    handler((res) => {
      if (!res.destroyed) res.json({ ok: true });
    }),
  );
  app.get("/sample/:ms", (req, res) => {
    clock?.advance(Number(req.params.ms));
    res.json({ ok: true });
  });
  // Handlers that fail in each way Express knows, once released.
  app.get("/throw/:id", async (req, res, next) => {
    await handler(() => {})(req, res);
    next(new Error("handler failed"));
  });
  app.get("/sync-throw/:id", (req) => {
    entered.push(String(req.params.id));
    throw new Error("handler threw");
  });
  app.get("/destroy/:id", async (req, res) => {
    await handler(() => {})(req, res);
    res.socket?.destroy();
  });
  app.use((_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (!res.headersSent) res.status(500).json({ error: "handler failed" });
  });

  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
  onTestFinished(async () => {
    keepAlive.destroy();
    for (const open of gates.values()) open();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const release = (id: string) => {
    released.add(id);
    gates.get(id)?.();
    gates.delete(id);
  };

  return {
    admission,
    entered,
    running: () => running,
    peak: () => peak,
    send(id, sendOptions = {}) {
      const sentAt = performance.now();
      const headers: Record<string, string> = sendOptions.priority ? { "x-priority": sendOptions.priority } : {};
      const request = http.request({ host: "127.0.0.1", port, path: `${sendOptions.path ?? "/work"}/${id}`, headers, agent: false });
      const reply = new Promise<Reply | null>((resolve) => {
        request.on("response", (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (body += chunk));
          response.on("end", () => {
            const at = performance.now();
            resolve({
              status: response.statusCode ?? 0,
              retryAfter: response.headers["retry-after"],
              contentType: response.headers["content-type"],
              body,
              at,
              elapsedMs: at - sentAt,
            });
          });
          response.on("error", () => resolve(null));
          response.on("aborted", () => resolve(null));
        });
        request.on("error", () => resolve(null));
        request.on("close", () => resolve(null));
      });
      request.end();
      return { id, sentAt, reply, abort: () => request.destroy() };
    },
    sample: (ms) =>
      new Promise<void>((resolve, reject) => {
        http
          .get({ host: "127.0.0.1", port, path: `/sample/${ms}`, agent: keepAlive }, (response) => {
            response.resume();
            response.on("end", () => (response.statusCode === 200 ? setImmediate(resolve) : reject(new Error(`GET /sample/${ms} (one request at a time) answered ${response.statusCode}`))));
          })
          .on("error", reject);
      }),
    release,
    releaseAll() {
      for (const id of [...gates.keys()]) release(id);
    },
    untilEntered: (count, what) =>
      eventually(async () => expect(entered.length, `${what}: handlers started (${entered.join(", ")})`).toBeGreaterThanOrEqual(count), bound),
    untilQueued: (count, what) => eventually(async () => expect(admission.queued(), `${what}: queued()`).toBe(count), bound),
    untilInflight: (count, what) => eventually(async () => expect(admission.inflight(), `${what}: inflight()`).toBe(count), bound),
  };
}

/** Asserts a 503 that sheds load the way the spec says. */
export function expectOverloaded(reply: Reply | null, retryAfterSeconds: number, what: string): void {
  expect(reply, `${what}: the connection ended without a response`).not.toBeNull();
  expect(reply!.status, `${what}: status`).toBe(503);
  expect(reply!.retryAfter, `${what}: Retry-After header (whole seconds)`).toBe(String(retryAfterSeconds));
  expect(reply!.contentType ?? "", `${what}: Content-Type`).toMatch(/^application\/json/);
  let body: unknown;
  try {
    body = JSON.parse(reply!.body);
  } catch {
    body = reply!.body;
  }
  expect(body, `${what}: body`).toMatchObject({ error: "overloaded" });
}

/** Asserts a 200 from a handler. */
export function expectServed(reply: Reply | null, what: string): void {
  expect(reply?.status, `${what}: status`).toBe(200);
}
