/**
 * Round trips with a deadline, cheaply: one timer for all of a breaker's pending round
 * trips instead of one per call. Replies on one connection come back in the order sent,
 * so when the oldest pending round trip has waited `deadlineMs`, every later one is stuck
 * behind it: they all give up together.
 */
export const unavailable: unique symbol = Symbol("redis unavailable");
export type Unavailable = typeof unavailable;

interface Waiter {
  sentAt: number;
  settle(reply: unknown): void;
}

export class RoundTrips {
  readonly #waiting = new Set<Waiter>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deadlineMs: number | null,
    private readonly onUnavailable: () => void,
  ) {}

  /** The reply, or `unavailable` when the command failed or its deadline passed first. */
  run<T>(send: () => Promise<T>): Promise<T | Unavailable> {
    return new Promise((resolve) => {
      const waiter: Waiter = { sentAt: performance.now(), settle: resolve as (reply: unknown) => void };
      this.#waiting.add(waiter);
      if (this.deadlineMs !== null && !this.#timer) this.#arm(this.deadlineMs);
      send().then(
        (reply) => {
          if (this.#waiting.delete(waiter)) resolve(reply);
        },
        () => {
          if (!this.#waiting.delete(waiter)) return;
          this.onUnavailable();
          resolve(unavailable);
        },
      );
    });
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#check(), ms);
    this.#timer.unref();
  }

  #check(): void {
    this.#timer = undefined;
    const oldest = this.#waiting.values().next().value as Waiter | undefined;
    if (!oldest) return;
    const waited = performance.now() - oldest.sentAt;
    if (waited < this.deadlineMs!) return this.#arm(this.deadlineMs! - waited);
    const stuck = [...this.#waiting];
    this.#waiting.clear();
    this.onUnavailable();
    for (const waiter of stuck) waiter.settle(unavailable);
  }
}
