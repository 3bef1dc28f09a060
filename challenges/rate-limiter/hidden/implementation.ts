import express from "express";
import type { GradedContext } from "../../../harness/testing/index.ts";

/** The interface every implementation under test exports (the stub's). */
export type RateLimiterModule = typeof import("../src/index.ts");

export function load(t: GradedContext): Promise<RateLimiterModule> {
  return t.solution<RateLimiterModule>();
}

type Middleware = ReturnType<RateLimiterModule["rateLimit"]>;

/** An Express app with the middleware in front of one route that counts the requests that got through. */
export function appWith(middleware: Middleware) {
  const app = express();
  const handled = { count: 0 };
  app.use(middleware);
  app.get("/resource", (_req, res) => {
    handled.count++;
    res.json({ ok: true });
  });
  return { app, handled };
}
