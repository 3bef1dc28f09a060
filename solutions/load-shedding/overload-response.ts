import type { Response } from "express";

/** The one answer to overload: 503, Retry-After in whole seconds, a small JSON body. */
export function sendOverloaded(res: Response, retryAfterSeconds: number): void {
  if (res.headersSent || res.destroyed) return;
  res.status(503).set("Retry-After", String(retryAfterSeconds)).json({ error: "overloaded" });
}
