import { randomUUID } from "node:crypto";
import type { Pool } from "pg";

/** Who asks for a key, with what, and when (by the injected clock). */
export interface ClaimRequest {
  userId: string;
  key: string;
  fingerprint: string;
  now: Date;
}

/** What a request may do with its key. */
export type Claim =
  /** The key is this request's until it completes or unlocks it (or it is taken over). */
  | { kind: "claimed"; token: string; providerKey: string }
  | { kind: "mismatch" }
  | { kind: "in-progress" }
  | { kind: "completed"; status: number; body: string };

/** The final answer to store with the key, and the payment to record with it (a 201). */
export interface Outcome {
  status: number;
  body: string;
  payment?: { id: string; amountCents: number; currency: string; customerId: string; chargeId: string; createdAt: Date };
}

export interface KeyStoreOptions {
  keyTtlMs: number;
  lockTimeoutMs: number;
}

/**
 * Idempotency keys in Postgres. A key row is claimed (locked with a fresh token) by one
 * atomic upsert, then completed or unlocked only by the holder of that token.
 */
export class PostgresKeyStore {
  constructor(
    protected readonly pg: Pool,
    protected readonly options: KeyStoreOptions,
  ) {}

  async migrate(): Promise<void> {
    await this.pg.query(`
      CREATE TABLE IF NOT EXISTS idempotency_keys (
        user_id         text        NOT NULL,
        idempotency_key text        NOT NULL,
        fingerprint     text        NOT NULL,
        provider_key    text        NOT NULL,
        created_at      timestamptz NOT NULL,
        locked_at       timestamptz,
        lock_token      text,
        response_status integer,
        response_body   text,
        PRIMARY KEY (user_id, idempotency_key)
      );
      CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);
      CREATE TABLE IF NOT EXISTS payments (
        id           uuid        PRIMARY KEY,
        user_id      text        NOT NULL,
        amount_cents bigint      NOT NULL,
        currency     text        NOT NULL,
        customer_id  text        NOT NULL,
        charge_id    text        NOT NULL,
        created_at   timestamptz NOT NULL
      );
    `);
  }

  /** Expired keys start afresh; a live key is locked only if its fingerprint matches, it has no answer yet, and no live lock holds it. */
  async claim(request: ClaimRequest): Promise<Claim> {
    for (;;) {
      const token = randomUUID();
      const locked = await this.tryLock(request, token, randomUUID());
      if (locked) return { kind: "claimed", token, providerKey: locked.providerKey };
      const existing = await this.inspect(request);
      if (existing) return existing;
      // The key was reaped between the two statements: claim it again.
    }
  }

  protected expiredBefore(now: Date): Date {
    return new Date(now.getTime() - this.options.keyTtlMs);
  }

  protected lockedBefore(now: Date): Date {
    return new Date(now.getTime() - this.options.lockTimeoutMs);
  }

  /** One statement: insert, restart an expired key, or lock a matching unanswered key whose lock is free or timed out. */
  protected async tryLock(request: ClaimRequest, token: string, providerKey: string): Promise<{ providerKey: string } | undefined> {
    const result = await this.pg.query<{ provider_key: string }>(
      `INSERT INTO idempotency_keys AS k (user_id, idempotency_key, fingerprint, provider_key, created_at, locked_at, lock_token)
       VALUES ($1, $2, $3, $4, $5, $5, $6)
       ON CONFLICT (user_id, idempotency_key) DO UPDATE SET
         fingerprint     = CASE WHEN k.created_at <= $7 THEN excluded.fingerprint  ELSE k.fingerprint  END,
         provider_key    = CASE WHEN k.created_at <= $7 THEN excluded.provider_key ELSE k.provider_key END,
         created_at      = CASE WHEN k.created_at <= $7 THEN excluded.created_at   ELSE k.created_at   END,
         locked_at       = excluded.locked_at,
         lock_token      = excluded.lock_token,
         response_status = NULL,
         response_body   = NULL
       WHERE k.created_at <= $7
          OR (k.fingerprint = excluded.fingerprint AND k.response_status IS NULL AND (k.locked_at IS NULL OR k.locked_at <= $8))
       RETURNING provider_key`,
      [request.userId, request.key, request.fingerprint, providerKey, request.now, token, this.expiredBefore(request.now), this.lockedBefore(request.now)],
    );
    const row = result.rows[0];
    return row ? { providerKey: row.provider_key } : undefined;
  }

  /** Why the key could not be locked; undefined if it is gone. */
  protected async inspect(request: ClaimRequest): Promise<Claim | undefined> {
    const result = await this.pg.query<{ fingerprint: string; response_status: number | null; response_body: string | null }>(
      "SELECT fingerprint, response_status, response_body FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2",
      [request.userId, request.key],
    );
    const row = result.rows[0];
    if (!row) return undefined;
    if (row.fingerprint !== request.fingerprint) return { kind: "mismatch" };
    if (row.response_status !== null) return { kind: "completed", status: row.response_status, body: row.response_body ?? "" };
    return { kind: "in-progress" };
  }

  /** Stores the answer (and records the payment) in one statement, only if `token` still holds the key. */
  async complete(userId: string, key: string, token: string, outcome: Outcome): Promise<boolean> {
    const payment = outcome.payment;
    const result = await this.pg.query(
      `WITH owned AS (
         UPDATE idempotency_keys SET response_status = $4, response_body = $5, locked_at = NULL, lock_token = NULL
         WHERE user_id = $1 AND idempotency_key = $2 AND lock_token = $3
         RETURNING 1
       ), recorded AS (
         INSERT INTO payments (id, user_id, amount_cents, currency, customer_id, charge_id, created_at)
         SELECT $6, $1, $7, $8, $9, $10, $11 FROM owned WHERE $6::uuid IS NOT NULL
       )
       SELECT count(*)::int AS owned FROM owned`,
      [userId, key, token, outcome.status, outcome.body, payment?.id ?? null, payment?.amountCents ?? null, payment?.currency ?? null, payment?.customerId ?? null, payment?.chargeId ?? null, payment?.createdAt ?? null],
    );
    return (result.rows[0] as { owned: number }).owned === 1;
  }

  /** Gives the key back at once (the provider failed), if `token` still holds it. */
  async unlock(userId: string, key: string, token: string): Promise<void> {
    await this.pg.query("UPDATE idempotency_keys SET locked_at = NULL, lock_token = NULL WHERE user_id = $1 AND idempotency_key = $2 AND lock_token = $3", [userId, key, token]);
  }

  /** Deletes every key that has expired by `now`. */
  async reap(now: Date): Promise<number> {
    const result = await this.pg.query("DELETE FROM idempotency_keys WHERE created_at <= $1", [this.expiredBefore(now)]);
    return result.rowCount ?? 0;
  }
}
