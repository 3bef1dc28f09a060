import type { Channel, Delivery, NotificationInput, OutboundMessage, Preference } from "../../challenges/notification-queue/src/index.ts";

/** A delivery the worker holds a lease on, for one attempt. */
export interface ClaimedDelivery {
  message: OutboundMessage;
  /** Which attempt this is (1 for the first). */
  attempt: number;
  /** Fences the result: only the holder of the current lease may record it. */
  token: string;
}

export interface ClaimResult {
  claimed: ClaimedDelivery[];
  /** When the earliest delivery not claimed here becomes due (epoch ms), or null when none is waiting. */
  nextDueAt: number | null;
}

/** How an attempt ended. `delayMs` is the backoff before the next attempt. */
export type AttemptOutcome = { ok: true } | { ok: false; error: string; permanent: boolean; delayMs: number };

/** Where a design keeps notifications, deliveries, keys and preferences; the worker loop is the same for all. */
export interface QueueStore {
  migrate(): Promise<void>;
  enqueue(notification: NotificationInput): Promise<{ notificationId: string; deduplicated: boolean }>;
  setPreference(userId: string, preference: Preference): Promise<void>;
  /** Claims up to `limit` due deliveries at once, leasing each for leaseMs. */
  claim(limit: number): Promise<ClaimResult>;
  /** Records an attempt's outcome if `claimed.token` still holds the lease. */
  complete(claimed: ClaimedDelivery, outcome: AttemptOutcome): Promise<void>;
  /** Calls `wake` when new work may be due; resolves to an unsubscribe function. */
  subscribe(wake: () => void): Promise<() => Promise<void>>;
  getDeliveries(notificationId: string): Promise<Delivery[]>;
  listDeadLetters(): Promise<Delivery[]>;
  retryDeadLetter(deliveryId: string): Promise<void>;
}

export const channels: readonly Channel[] = ["email", "sms", "push"];
