/**
 * Mistake: no LISTEN/NOTIFY, no timer to the next due time; the worker simply polls
 * every 10 ms. New work is picked up fast, at the cost of 100 claims a second per idle
 * worker, forever.
 */
import type { QueueStore } from "../queue-store.ts";
import { PostgresStore, queueVariant } from "./queue-variant.ts";

export const mustFail = ["efficiency.idle-no-busy-poll"];

class PollingStore extends PostgresStore implements QueueStore {
  override async subscribe(): Promise<() => Promise<void>> {
    return async () => {};
  }
}

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({
  store: (options) => new PollingStore(options.pg, options),
  tune: (settings) => ({ ...settings, idlePollMs: 10 }),
});
