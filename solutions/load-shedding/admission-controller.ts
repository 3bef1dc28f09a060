import type { NextFunction, Request, Response } from "express";
import type { Admission, AdmissionOptions } from "../../challenges/load-shedding/src/index.ts";
import { ClassQueues, rankOf, type Rank } from "./class-queues.ts";
import { AdaptiveLimit, fixedLimit, type ConcurrencyLimit } from "./concurrency-limit.ts";
import { sendOverloaded } from "./overload-response.ts";

/** A request waiting for a slot. */
export interface Waiter {
  rank: Rank;
  req: Request;
  res: Response;
  next: NextFunction;
  timer?: NodeJS.Timeout;
  /** Undoes the queue's listeners on the response. */
  unwatch(): void;
}

/**
 * Slots, a bounded queue per priority class with a deadline per request, 503 for the
 * rest. Each step is a protected method so that a mistake can be the reference with one flaw.
 */
export class AdmissionController implements Admission {
  protected active = 0;
  protected readonly queue = new ClassQueues<Waiter>();
  protected readonly slots: ConcurrencyLimit;
  protected readonly now: () => number;

  constructor(protected readonly options: AdmissionOptions) {
    const adaptive = options.adaptive;
    this.slots = adaptive ? this.createAdaptiveLimit(options.maxConcurrent, adaptive.min, adaptive.max) : fixedLimit(options.maxConcurrent);
    this.now = adaptive?.now ?? (() => performance.now());
  }

  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const rank = rankOf(this.options.priority?.(req));
    if (this.queue.size === 0 && this.canStart()) {
      this.start(req, res, next);
      return;
    }
    if (this.queue.size >= this.options.maxQueue) {
      const victim = this.evictFor(rank);
      if (!victim) {
        this.shed(res);
        return;
      }
      this.leaveQueue(victim);
      this.shed(victim.res);
    }
    this.enqueue({ rank, req, res, next, unwatch: () => {} });
  };

  inflight(): number {
    return this.active;
  }

  queued(): number {
    return this.queue.size;
  }

  limit(): number {
    return this.slots.current();
  }

  protected createAdaptiveLimit(initial: number, min: number, max: number): ConcurrencyLimit {
    return new AdaptiveLimit(initial, min, max);
  }

  protected canStart(): boolean {
    return this.active < this.slots.current();
  }

  protected start(req: Request, res: Response, next: NextFunction): void {
    this.active++;
    const startedAt = this.now();
    res.once("finish", () => this.slots.sample(this.now() - startedAt));
    this.watchSlot(res, () => {
      this.active--;
      this.drain();
    });
    next();
  }

  /** Calls `release` exactly once, when the response is over however it ended. */
  protected watchSlot(res: Response, release: () => void): void {
    // "close" fires once: after "finish", or when the connection dies first.
    res.once("close", release);
  }

  protected drain(): void {
    while (this.queue.size > 0 && this.canStart()) {
      const waiter = this.takeNext()!;
      this.forget(waiter);
      this.start(waiter.req, waiter.res, waiter.next);
    }
  }

  protected takeNext(): Waiter | undefined {
    return this.queue.takeNext();
  }

  protected evictFor(rank: Rank): Waiter | undefined {
    return this.queue.evictBelow(rank);
  }

  protected enqueue(waiter: Waiter): void {
    this.queue.push(waiter.rank, waiter);
    this.armDeadline(waiter);
    this.watchQueued(waiter);
  }

  protected armDeadline(waiter: Waiter): void {
    waiter.timer = setTimeout(() => {
      this.leaveQueue(waiter);
      this.shed(waiter.res);
    }, this.options.maxQueueWaitMs);
  }

  /** A client that leaves while queued gives its place back at once. */
  protected watchQueued(waiter: Waiter): void {
    const gone = () => this.leaveQueue(waiter);
    waiter.res.once("close", gone);
    waiter.unwatch = () => waiter.res.off("close", gone);
  }

  /** Takes a waiter out of the queue (if still there) and drops its timer and listeners. */
  protected leaveQueue(waiter: Waiter): void {
    this.queue.remove(waiter.rank, waiter);
    this.forget(waiter);
  }

  protected forget(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    waiter.unwatch();
  }

  protected shed(res: Response): void {
    sendOverloaded(res, this.options.retryAfterSeconds);
  }
}
