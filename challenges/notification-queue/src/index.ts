/**
 * Notification queue — your implementation goes here.
 * The spec is in ../README.md. Grade it with: npm run grade notification-queue
 */
import type { Pool } from "pg";
import type { Redis } from "ioredis";

export type Channel = "email" | "sms" | "push";

/** What a provider is asked to send: one delivery of one notification on one channel. */
export interface OutboundMessage {
  /** Stable across retries of this delivery; providers may use it to drop duplicates. */
  deliveryId: string;
  notificationId: string;
  userId: string;
  channel: Channel;
  type: string;
  payload: Record<string, unknown>;
}

/** The outside world (an email API, an SMS gateway, a push service). */
export interface Provider {
  /** Resolves when the provider accepted the message; rejects when it did not. */
  send(message: OutboundMessage): Promise<void>;
}

/** Thrown by a provider when retrying cannot help (bad address, unsubscribed device): do not retry. */
export class PermanentError extends Error {
  override name = "PermanentError";
}

export interface NotificationOptions {
  /** Pool on the service's database, provided by the caller. Don't end() it. */
  pg: Pool;
  /** Connected client (ioredis 5), provided by the caller. Don't quit() it. */
  redis: Redis;
  /** One provider per channel. */
  providers: Record<Channel, Provider>;
  /** Attempts per delivery, the first one included. */
  maxAttempts: number;
  /** Delay before attempt n+1, after attempt n failed: min(maxMs, baseMs * 2^(n-1)). */
  backoff: { baseMs: number; maxMs: number };
  /** A claimed delivery whose attempt has not finished after leaseMs may be claimed again. */
  leaseMs: number;
  /** How long an idempotencyKey is remembered after the enqueue that used it. */
  dedupWindowMs: number;
}

/** One channel of one notification, as getDeliveries() and listDeadLetters() report it. */
export interface Delivery {
  deliveryId: string;
  channel: Channel;
  status: "pending" | "sent" | "skipped" | "dead";
  /** Attempts started (sends handed to the provider). */
  attempts: number;
  /** The message of the last failure, when there was one. */
  lastError?: string;
}

export interface NotificationInput {
  idempotencyKey: string;
  userId: string;
  type: string;
  payload: Record<string, unknown>;
  channels: Channel[];
  /** Sent whatever the user's preferences say. @default false */
  critical?: boolean;
}

/** A preference: type and channel both optional; enabled false opts the user out. */
export interface Preference {
  channel?: Channel;
  type?: string;
  enabled: boolean;
}

export interface Worker {
  /** Stops claiming. Graceful (the default) waits for in-flight sends to finish and be recorded. */
  stop(options?: { graceful?: boolean }): Promise<void>;
}

export interface NotificationService {
  /** Creates the schema (or whatever your design needs). Idempotent. */
  migrate(): Promise<void>;
  enqueue(notification: NotificationInput): Promise<{ notificationId: string; deduplicated: boolean }>;
  setPreference(userId: string, preference: Preference): Promise<void>;
  startWorker(options?: { concurrency?: number }): Worker;
  getDeliveries(notificationId: string): Promise<Delivery[]>;
  listDeadLetters(): Promise<Delivery[]>;
  retryDeadLetter(deliveryId: string): Promise<void>;
}

/** Thrown by the parts you have not written yet; the grader reports them as "not implemented". */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}

export function createNotificationService(options: NotificationOptions): NotificationService {
  throw new NotImplementedError("createNotificationService");
}
