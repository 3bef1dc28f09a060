import type { NotificationOptions, NotificationService } from "../../challenges/notification-queue/src/index.ts";
import type { QueueStore } from "./queue-store.ts";
import { defaultWorkerSettings, runWorker, type WorkerSettings } from "./worker.ts";

/** A service from a store and the worker loop; `tune` adjusts the worker's settings. */
export function assembleService(store: QueueStore, options: NotificationOptions, tune: (settings: WorkerSettings) => WorkerSettings = (s) => s): NotificationService {
  return {
    migrate: () => store.migrate(),
    enqueue: (n) => store.enqueue(n),
    setPreference: (userId, p) => store.setPreference(userId, p),
    startWorker: (o = {}) => runWorker(store, tune(defaultWorkerSettings(options, o.concurrency ?? 4))),
    getDeliveries: (id) => store.getDeliveries(id),
    listDeadLetters: () => store.listDeadLetters(),
    retryDeadLetter: (id) => store.retryDeadLetter(id),
  };
}
