/**
 * Shared by the goodput stage (not a test file): a backend with a fixed capacity, an
 * Express service in front of it (with or without the learner's middleware), and many
 * impatient clients hammering it.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import express, { type RequestHandler } from "express";
import { sleep } from "../../../harness/testing/index.ts";

/** A dependency that does `capacity` jobs at once, `serviceMs` each; the rest wait in line (a database with a small pool). */
export class Backend {
  private busy = 0;
  private readonly line: (() => void)[] = [];
  completed = 0;

  constructor(
    readonly capacity: number,
    readonly serviceMs: number,
  ) {}

  async run(): Promise<void> {
    if (this.busy >= this.capacity) await new Promise<void>((resolve) => this.line.push(resolve));
    else this.busy++;
    try {
      await sleep(this.serviceMs);
      this.completed++;
    } finally {
      const next = this.line.shift();
      if (next) next();
      else this.busy--;
    }
  }
}

export interface LoadResult {
  /** 200s that arrived within the client's deadline. */
  goodput: number;
  /** 503s. */
  shed: number;
  /** Requests the client gave up on at its deadline. */
  timedOut: number;
  /** Jobs the backend finished (useful or not). */
  backendJobs: number;
}

export interface LoadOptions {
  clients: number;
  durationMs: number;
  /** A client aborts a request with no answer after this long. */
  clientDeadlineMs: number;
  /** A client waits this long after a 503 before its next request. */
  backoffMs: number;
}

/** Serves a handler that does one backend job per request, behind `middleware` if given, and runs closed-loop clients against it. */
export async function overload(backend: Backend, middleware: RequestHandler | undefined, options: LoadOptions): Promise<LoadResult> {
  const app = express();
  if (middleware) app.use(middleware);
  app.get("/job", async (_req, res) => {
    await backend.run();
    if (!res.destroyed) res.json({ ok: true });
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const result: LoadResult = { goodput: 0, shed: 0, timedOut: 0, backendJobs: 0 };
  const startJobs = backend.completed;
  const end = performance.now() + options.durationMs;

  const once = () =>
    new Promise<"ok" | "shed" | "timeout" | "other">((resolve) => {
      const request = http.get({ host: "127.0.0.1", port, path: "/job", agent: false }, (response) => {
        response.resume();
        response.on("end", () => {
          clearTimeout(timer);
          resolve(response.statusCode === 200 ? "ok" : response.statusCode === 503 ? "shed" : "other");
        });
      });
      const timer = setTimeout(() => {
        request.destroy();
        resolve("timeout");
      }, options.clientDeadlineMs);
      request.on("error", () => {
        clearTimeout(timer);
        resolve("other");
      });
    });

  try {
    await Promise.all(
      Array.from({ length: options.clients }, async () => {
        while (performance.now() < end) {
          const outcome = await once();
          if (outcome === "ok") result.goodput++;
          else if (outcome === "shed") {
            result.shed++;
            await sleep(options.backoffMs);
          } else if (outcome === "timeout") result.timedOut++;
          else await sleep(options.backoffMs);
        }
      }),
    );
    result.backendJobs = backend.completed - startJobs;
    return result;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
