/**
 * Idempotency keys for a payments API — your implementation goes here.
 * The spec is in ../README.md. Grade it with: npm run grade idempotency-keys
 */
import type { Express } from "express";
import type { Pool } from "pg";

/** What you ask the payment provider to do. */
export interface ChargeRequest {
  /** The provider de-duplicates by this key: the same key with the same fields is the same charge. */
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  customerId: string;
}

/** The outside world: a card processor. Given by the caller (the suite gives a test double). */
export interface PaymentProvider {
  /** Resolves with the charge; rejects with your DeclinedError when the card is declined, or with any other Error. */
  charge(request: ChargeRequest): Promise<{ chargeId: string }>;
}

export interface PaymentsOptions {
  /** Pool on the service's database, provided by the caller. Don't end() it. */
  pg: Pool;
  provider: PaymentProvider;
  /** How long a key is remembered, counted from its first request (by now()). */
  keyTtlMs: number;
  /** How long a request may hold a key before another request may take it over (by now()). */
  lockTimeoutMs: number;
  /** The clock for every time you store or compare. @default () => new Date() */
  now?: () => Date;
}

export interface PaymentsService {
  /** POST /payments. The caller listens on it. */
  app: Express;
  /** Creates the schema. Idempotent: safe to run on every start, by every instance. */
  migrate(): Promise<void>;
  /** Deletes every expired key; resolves with how many it deleted. */
  reapExpiredKeys(): Promise<number>;
}

/** Thrown by the parts you have not written yet; the grader reports them as "not implemented". */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}

/** The provider declined the card. The provider rejects with this class (yours: the suite imports it from your module). */
export class DeclinedError extends Error {
  override name = "DeclinedError";
  readonly code = "CARD_DECLINED";
  constructor(readonly declineCode: string) {
    super(`the card was declined (${declineCode})`);
  }
}

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  throw new NotImplementedError("createPaymentsApp");
}
