/**
 * A correct variant built the other way wherever the spec leaves a choice:
 * - a key is claimed in a short transaction (delete it if expired, insert if absent,
 *   SELECT ... FOR UPDATE, decide in JavaScript, update, commit) instead of one upsert;
 * - rows store when they expire and until when they are locked (expires_at,
 *   locked_until), not when they began;
 * - the lock is fenced by a version number that each claim increments, not a random token;
 * - the provider key is the key row's serial id, so an expired key that is claimed again
 *   (a new row) gets a new one;
 * - the fingerprint is a SHA-256 of the fields, and the payment and the answer are
 *   written in an explicit transaction.
 * Nothing is held across the provider call: the transaction commits before it.
 */
import { createHash, randomUUID } from "node:crypto";
import express, { type ErrorRequestHandler, type Request, type Response } from "express";
import type { Pool, PoolClient } from "pg";
import type { PaymentsOptions, PaymentsService } from "../../../challenges/idempotency-keys/src/index.ts";
import { DeclinedError } from "../declined-error.ts";

export { DeclinedError };

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly declineCode?: string,
  ) {
    super(message);
  }
  text(): string {
    return JSON.stringify({ error: { code: this.code, message: this.message, ...(this.declineCode ? { declineCode: this.declineCode } : {}) } });
  }
}

type Fields = { amountCents: number; currency: string; customerId: string };

function fields(body: unknown): Fields {
  const bad = (why: string) => new HttpError(400, "INVALID_REQUEST", why);
  if (!body || typeof body !== "object" || Array.isArray(body)) throw bad("expected a JSON object");
  const record = body as Record<string, unknown>;
  const names = Object.keys(record).sort().join(",");
  if (names !== "amountCents,currency,customerId") throw bad("expected exactly amountCents, currency and customerId");
  const { amountCents, currency, customerId } = record;
  if (!Number.isSafeInteger(amountCents) || (amountCents as number) < 1 || (amountCents as number) > 99_999_999) throw bad("amountCents: an integer from 1 to 99999999");
  if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency)) throw bad("currency: three capital letters");
  if (typeof customerId !== "string" || customerId.length === 0 || customerId.length > 64) throw bad("customerId: 1 to 64 characters");
  return { amountCents: amountCents as number, currency, customerId };
}

async function inTransaction<T>(pg: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pg.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

type Claimed = { id: string; version: number };
type Row = { id: string; fingerprint: string; version: number; locked_until: Date | null; status: number | null; body: string | null };

export function createPaymentsApp(options: PaymentsOptions): PaymentsService {
  const { pg, provider } = options;
  const now = options.now ?? (() => new Date());
  const later = (ms: number) => new Date(now().getTime() + ms);

  async function claim(userId: string, key: string, fingerprint: string): Promise<Claimed | { replay: { status: number; body: string } }> {
    return inTransaction(pg, async (client) => {
      const at = now();
      await client.query("DELETE FROM variant_keys WHERE owner = $1 AND client_key = $2 AND expires_at <= $3", [userId, key, at]);
      await client.query(
        "INSERT INTO variant_keys (owner, client_key, fingerprint, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT (owner, client_key) DO NOTHING",
        [userId, key, fingerprint, later(options.keyTtlMs)],
      );
      const { rows } = await client.query<Row>("SELECT id, fingerprint, version, locked_until, status, body FROM variant_keys WHERE owner = $1 AND client_key = $2 FOR UPDATE", [userId, key]);
      const row = rows[0]!;
      if (row.fingerprint !== fingerprint) throw new HttpError(422, "IDEMPOTENCY_KEY_REUSED", "this key was used with another body");
      if (row.status !== null) return { replay: { status: row.status, body: row.body ?? "" } };
      if (row.locked_until && row.locked_until.getTime() > at.getTime()) throw new HttpError(409, "REQUEST_IN_PROGRESS", "a request with this key is in progress");
      const version = row.version + 1;
      await client.query("UPDATE variant_keys SET version = $2, locked_until = $3 WHERE id = $1", [row.id, version, later(options.lockTimeoutMs)]);
      return { id: row.id, version };
    });
  }

  async function record(claimed: Claimed, status: number, body: string, payment?: Record<string, unknown>): Promise<void> {
    const stored = await inTransaction(pg, async (client) => {
      const updated = await client.query("UPDATE variant_keys SET status = $3, body = $4, locked_until = NULL WHERE id = $1 AND version = $2 AND status IS NULL", [claimed.id, claimed.version, status, body]);
      if (updated.rowCount !== 1) return false;
      if (payment) await client.query("INSERT INTO variant_payments (id, key_id, details) VALUES ($1, $2, $3)", [payment.id, claimed.id, body]);
      return true;
    });
    if (!stored) throw new HttpError(409, "REQUEST_IN_PROGRESS", "this request's key was taken over");
  }

  async function pay(req: Request, res: Response): Promise<void> {
    const userId = req.get("x-user-id") ?? "";
    const key = req.get("idempotency-key") ?? "";
    if (userId.length === 0 || userId.length > 255) throw new HttpError(401, "UNAUTHENTICATED", "X-User-Id is required");
    if (key.length === 0 || key.length > 255) throw new HttpError(400, "INVALID_IDEMPOTENCY_KEY", "Idempotency-Key: 1 to 255 characters");
    const request = fields(req.body);
    const fingerprint = createHash("sha256").update(`${request.amountCents}\n${request.currency}\n${request.customerId}`).digest("hex");
    const claimed = await claim(userId, key, fingerprint);
    if ("replay" in claimed) {
      res.set("Idempotent-Replayed", "true").status(claimed.replay.status).type("application/json").send(claimed.replay.body);
      return;
    }
    try {
      let chargeId: string;
      try {
        ({ chargeId } = await provider.charge({ idempotencyKey: `variant-key-${claimed.id}`, ...request }));
      } catch (error) {
        if (!(error instanceof DeclinedError)) throw new HttpError(502, "PROVIDER_ERROR", "the provider failed");
        const declined = new HttpError(402, "CARD_DECLINED", "declined", error.declineCode).text();
        await record(claimed, 402, declined);
        res.status(402).type("application/json").send(declined);
        return;
      }
      const payment = { id: randomUUID(), status: "succeeded", ...request, chargeId, createdAt: now().toISOString() };
      const body = JSON.stringify(payment);
      await record(claimed, 201, body, payment);
      res.status(201).type("application/json").send(body);
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 409)) {
        await pg.query("UPDATE variant_keys SET locked_until = NULL WHERE id = $1 AND version = $2", [claimed.id, claimed.version]).catch(() => {});
      }
      throw error;
    }
  }

  const app = express();
  app.use(express.json());
  app.post("/payments", (req, res, next) => void pay(req, res).catch(next));
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    const known = error instanceof HttpError ? error : (error as { status?: number }).status === 400 ? new HttpError(400, "INVALID_REQUEST", "malformed JSON") : new HttpError(500, "INTERNAL", "unexpected error");
    res.status(known.status).type("application/json").send(known.text());
  };
  app.use(onError);

  return {
    app,
    async migrate() {
      await pg.query(`
        CREATE TABLE IF NOT EXISTS variant_keys (
          id bigserial PRIMARY KEY, owner text NOT NULL, client_key text NOT NULL, fingerprint text NOT NULL,
          expires_at timestamptz NOT NULL, version integer NOT NULL DEFAULT 0, locked_until timestamptz,
          status integer, body text, UNIQUE (owner, client_key));
        CREATE INDEX IF NOT EXISTS variant_keys_expires_at ON variant_keys (expires_at);
        CREATE TABLE IF NOT EXISTS variant_payments (id uuid PRIMARY KEY, key_id bigint NOT NULL, details text NOT NULL);`);
    },
    async reapExpiredKeys() {
      return (await pg.query("DELETE FROM variant_keys WHERE expires_at <= $1", [now()])).rowCount ?? 0;
    },
  };
}
