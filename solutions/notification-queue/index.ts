/**
 * Reference solution: Postgres holds the queue. A worker claims a batch of due deliveries
 * in one statement (FOR UPDATE SKIP LOCKED) under a lease with a fencing token, and sleeps
 * on LISTEN/NOTIFY and the next due time. See NOTES.md.
 */
import type { NotificationOptions, NotificationService } from "../../challenges/notification-queue/src/index.ts";
import { PostgresStore } from "./postgres-store.ts";
import { assembleService } from "./service.ts";

export { PermanentError } from "../../challenges/notification-queue/src/index.ts";
export type * from "../../challenges/notification-queue/src/index.ts";

export function createNotificationService(options: NotificationOptions): NotificationService {
  return assembleService(new PostgresStore(options.pg, options), options);
}
