import express, { type ErrorRequestHandler } from "express";
import type { RateLimiterModule } from "./implementation.ts";

// Apart from implementation.ts: only the stages that serve HTTP pay for loading Express.

type Middleware = ReturnType<RateLimiterModule["rateLimit"]>;

export interface AppSetup {
  /** Express's `trust proxy` setting; unset, Express trusts no proxy and `req.ip` is the socket's peer. */
  trustProxy?: boolean | number | string;
}

/**
 * An Express app with the middleware in front of one route that counts the requests that
 * got through, and an error handler that records what reached `next(error)` and answers
 * 500, as Express's default handler would.
 */
export function appWith(middleware: Middleware, setup: AppSetup = {}) {
  const app = express();
  if (setup.trustProxy !== undefined) app.set("trust proxy", setup.trustProxy);
  const handled = { count: 0 };
  const errors: unknown[] = [];
  app.use(middleware);
  app.get("/resource", (_req, res) => {
    handled.count++;
    res.json({ ok: true });
  });
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    errors.push(error);
    res.status(500).json({ error: { code: "INTERNAL", message: String(error) } });
  };
  app.use(onError);
  return { app, handled, errors };
}
