/**
 * Load shedding and admission control — your implementation goes here.
 * The spec is in ../README.md. Grade it with: npm run grade load-shedding
 */
import type { Request, RequestHandler } from "express";

/** How much a request matters when the service is overloaded. */
export type Priority = "critical" | "normal" | "sheddable";

/** Turns the concurrency limit into one that follows latency (stage "adaptive"). */
export interface AdaptiveOptions {
  /** The limit never goes below this. */
  min: number;
  /** The limit never goes above this. */
  max: number;
  /** Clock for latency samples, in milliseconds. @default performance.now */
  now?: () => number;
}

export interface AdmissionOptions {
  /** Requests allowed inside the handlers at once (the starting limit when `adaptive` is set). */
  maxConcurrent: number;
  /** Requests allowed to wait for a slot; 0 means none wait. */
  maxQueue: number;
  /** Longest a request may wait in the queue, in milliseconds. */
  maxQueueWaitMs: number;
  /** Sent as the Retry-After header of every 503, in whole seconds. */
  retryAfterSeconds: number;
  /** Classifies a request; default: every request is "normal". Any other value counts as "normal". */
  priority?: (req: Request) => Priority;
  /** When set, the limit adapts to latency within [min, max]. */
  adaptive?: AdaptiveOptions;
}

export interface Admission {
  /** Express middleware: lets a request through, queues it, or answers 503. */
  middleware: RequestHandler;
  /** Requests let through whose slot is not free yet. */
  inflight(): number;
  /** Requests waiting in the queue. */
  queued(): number;
  /** The current concurrency limit. */
  limit(): number;
}

/** Thrown by the parts you have not written yet; the grader reports them as "not implemented". */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}

export function createAdmission(options: AdmissionOptions): Admission {
  void options;
  throw new NotImplementedError("createAdmission() is not implemented yet");
}
