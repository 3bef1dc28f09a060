/**
 * Not a mistake: the reference assembled from parts, so that each mistake file replaces
 * exactly one part (a store method, a worker setting, how stop() behaves). With no changes
 * it passes the whole suite.
 */
import type { NotificationOptions, NotificationService, Worker } from "../../../challenges/notification-queue/src/index.ts";
import { PostgresStore } from "../postgres-store.ts";
import type { QueueStore } from "../queue-store.ts";
import { assembleService } from "../service.ts";
import type { WorkerSettings } from "../worker.ts";

export { PermanentError } from "../../../challenges/notification-queue/src/index.ts";
export { PostgresStore, claimSql, completeParams, completeSql, deliveriesSql, enqueueSql, toClaimed, toDelivery } from "../postgres-store.ts";

export interface VariantParts {
  /** The store; a subclass of PostgresStore that overrides one method. */
  store?: (options: NotificationOptions) => QueueStore;
  /** Changes the worker's settings (backoff, polling, what counts as permanent). */
  tune?: (settings: WorkerSettings, options: NotificationOptions) => WorkerSettings;
  /** Wraps each started worker. */
  worker?: (worker: Worker) => Worker;
}

export function queueVariant(parts: VariantParts = {}): { createNotificationService(options: NotificationOptions): NotificationService } {
  return {
    createNotificationService(options) {
      const store = parts.store?.(options) ?? new PostgresStore(options.pg, options);
      const service = assembleService(store, options, (settings) => parts.tune?.(settings, options) ?? settings);
      if (!parts.worker) return service;
      const wrap = parts.worker;
      return { ...service, startWorker: (o) => wrap(service.startWorker(o)) };
    },
  };
}
