import type { Response } from "express";

/** An answer other than 201: the status and the error body `{ error: { code, message } }`. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }

  /** The body exactly as it is sent (and, for a 402, stored). */
  body(): string {
    return JSON.stringify({ error: { code: this.code, message: this.message, ...this.extra } });
  }
}

/** Sends a JSON body that is already text, so a replay can send the very same bytes. */
export function sendJson(res: Response, status: number, body: string, replayed = false): void {
  if (replayed) res.set("Idempotent-Replayed", "true");
  res.status(status).type("application/json").send(body);
}
