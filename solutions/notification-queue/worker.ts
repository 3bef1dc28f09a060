import { PermanentError, type Channel, type NotificationOptions, type Provider, type Worker } from "../../challenges/notification-queue/src/index.ts";
import type { AttemptOutcome, ClaimedDelivery, QueueStore } from "./queue-store.ts";

export interface WorkerSettings {
  concurrency: number;
  providers: Record<Channel, Provider>;
  backoff: NotificationOptions["backoff"];
  leaseMs: number;
  /** Longest sleep without a claim: a safety net for lost notifications. */
  idlePollMs: number;
  /** Wait between claims while other workers hold the due rows' locks. */
  contentionPauseMs: number;
  /** Which class of error is not worth retrying. */
  isPermanent(error: unknown): boolean;
  /** Delay before attempt n+1 after attempt n failed. */
  delayAfter(attempt: number): number;
}

/** min(maxMs, baseMs * 2^(n-1)): the spec's backoff. */
export function exponentialBackoff(backoff: NotificationOptions["backoff"]): (attempt: number) => number {
  return (attempt) => Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempt - 1));
}

export function defaultWorkerSettings(options: NotificationOptions, concurrency = 4): WorkerSettings {
  return {
    concurrency,
    providers: options.providers,
    backoff: options.backoff,
    leaseMs: options.leaseMs,
    idlePollMs: 1000,
    contentionPauseMs: 20,
    isPermanent: (error) => error instanceof PermanentError,
    delayAfter: exponentialBackoff(options.backoff),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Claims up to `concurrency` due deliveries at a time and sends them. Sleeps until the
 * earliest due time (a retry, or a lease that may expire), a notification, or a freed slot.
 */
export function runWorker(store: QueueStore, settings: WorkerSettings): Worker & { done: Promise<void> } {
  let running = true;
  let wakeAt = 0;
  // With a backlog, claim when half the slots are free (or a few ms have passed): fewer, bigger batches.
  let backlog = false;
  let claimedAt = 0;
  const batchFloor = Math.ceil(settings.concurrency / 2);
  const batchWaitMs = 10;
  let signal: (() => void) | undefined;
  const inFlight = new Set<Promise<void>>();

  const poke = () => {
    const resolve = signal;
    signal = undefined;
    resolve?.();
  };

  async function attempt(claimed: ClaimedDelivery): Promise<void> {
    let outcome: AttemptOutcome;
    try {
      await Promise.resolve().then(() => settings.providers[claimed.message.channel].send(claimed.message));
      outcome = { ok: true };
    } catch (error) {
      outcome = { ok: false, error: describe(error), permanent: settings.isPermanent(error), delayMs: settings.delayAfter(claimed.attempt) };
    }
    // If this fails the lease runs out and the delivery is tried again: at least once.
    await store.complete(claimed, outcome).catch(() => {});
    // This worker scheduled the retry, so it knows when to wake up for it.
    if (!outcome.ok && !outcome.permanent) wakeAt = Math.min(wakeAt, Date.now() + outcome.delayMs);
  }

  function start(claimed: ClaimedDelivery): void {
    const task = attempt(claimed).finally(() => {
      inFlight.delete(task);
      poke();
    });
    inFlight.add(task);
  }

  function sleepUntil(time: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => poke(), Math.max(0, time - Date.now()));
      signal = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async function loop(): Promise<void> {
    const unsubscribe = await store
      .subscribe(() => {
        wakeAt = 0;
        poke();
      })
      .catch(() => async () => {});
    try {
      while (running) {
        const free = settings.concurrency - inFlight.size;
        const now = Date.now();
        const ready = free > 0 && (!backlog || free >= batchFloor || now >= claimedAt + batchWaitMs);
        if (ready && now >= wakeAt) {
          try {
            const { claimed, nextDueAt } = await store.claim(free);
            for (const delivery of claimed) start(delivery);
            const after = Date.now();
            claimedAt = after;
            backlog = claimed.length === free;
            if (backlog) wakeAt = after;
            else {
              let next = Math.min(nextDueAt ?? Infinity, after + settings.idlePollMs);
              if (claimed.length > 0) next = Math.min(next, after + settings.leaseMs);
              wakeAt = Math.max(next, after + (next <= after ? settings.contentionPauseMs : 0));
            }
          } catch {
            wakeAt = Date.now() + settings.contentionPauseMs * 5;
          }
          continue;
        }
        await sleepUntil(free === 0 ? Date.now() + settings.idlePollMs : backlog ? Math.max(wakeAt, claimedAt + batchWaitMs) : wakeAt);
      }
    } finally {
      await unsubscribe().catch(() => {});
    }
  }

  const done = loop();
  return {
    done,
    async stop(options = {}) {
      running = false;
      poke();
      await done;
      if (options.graceful ?? true) await Promise.all([...inFlight]);
    },
  };
}
