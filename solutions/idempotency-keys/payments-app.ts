import { randomUUID } from "node:crypto";
import express, { type ErrorRequestHandler, type Request, type Response } from "express";
import type { PaymentsOptions, PaymentsService } from "../../challenges/idempotency-keys/src/index.ts";
import { ApiError, sendJson } from "./api-error.ts";
import { DeclinedError } from "./declined-error.ts";
import { PostgresKeyStore, type KeyStoreOptions } from "./key-store.ts";
import { fingerprint, parseHeaders, parsePaymentRequest, type PaymentRequest } from "./payment-request.ts";

/** A flaw to build into the app: how each file in mistakes/ is "the reference with one flaw". */
export interface PaymentsPolicy {
  /** The key store, given the pool and the options. */
  store(pg: PaymentsOptions["pg"], options: KeyStoreOptions): PostgresKeyStore;
  /** The fingerprint that decides "the same request". */
  fingerprint(request: PaymentRequest, rawBody: string): string;
  /** The idempotency key sent to the provider, given the one stored with the claim. */
  providerKey(stored: string, userId: string, key: string): string;
  /** Whether a failure that is not a decline gives the key back at once. */
  unlockOnError: boolean;
  /** Whether a decline is stored as the key's answer. */
  storeDeclines: boolean;
}

export const referencePolicy: PaymentsPolicy = {
  store: (pg, options) => new PostgresKeyStore(pg, options),
  fingerprint: (request) => fingerprint(request),
  providerKey: (stored) => stored,
  unlockOnError: true,
  storeDeclines: true,
};

const inProgress = () => new ApiError(409, "REQUEST_IN_PROGRESS", "a request with this Idempotency-Key is in progress; retry later");

/** The app with a policy; the reference is `createPolicyPaymentsApp(options, referencePolicy)`. */
export function createPolicyPaymentsApp(options: PaymentsOptions, policy: PaymentsPolicy): PaymentsService {
  const now = options.now ?? (() => new Date());
  const store = policy.store(options.pg, { keyTtlMs: options.keyTtlMs, lockTimeoutMs: options.lockTimeoutMs });

  async function pay(req: Request, res: Response): Promise<void> {
    const { userId, key } = parseHeaders(req.get("x-user-id"), req.get("idempotency-key"));
    const request = parsePaymentRequest(req.body);
    const claim = await store.claim({ userId, key, fingerprint: policy.fingerprint(request, (req as { rawBody?: string }).rawBody ?? ""), now: now() });
    if (claim.kind === "mismatch") throw new ApiError(422, "IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used with another request body");
    if (claim.kind === "in-progress") throw inProgress();
    if (claim.kind === "completed") return sendJson(res, claim.status, claim.body, true);

    const { token } = claim;
    try {
      let chargeId: string;
      try {
        ({ chargeId } = await options.provider.charge({ idempotencyKey: policy.providerKey(claim.providerKey, userId, key), ...request }));
      } catch (error) {
        if (!(error instanceof DeclinedError)) throw new ApiError(502, "PROVIDER_ERROR", "the payment provider failed; retry with the same Idempotency-Key");
        const declined = new ApiError(402, "CARD_DECLINED", "the card was declined", { declineCode: error.declineCode });
        if (!policy.storeDeclines) throw declined;
        if (!(await store.complete(userId, key, token, { status: 402, body: declined.body() }))) throw inProgress();
        return sendJson(res, 402, declined.body());
      }
      const payment = { id: randomUUID(), status: "succeeded", ...request, chargeId, createdAt: now().toISOString() };
      const body = JSON.stringify(payment);
      if (!(await store.complete(userId, key, token, { status: 201, body, payment: { ...payment, createdAt: new Date(payment.createdAt) } }))) throw inProgress();
      sendJson(res, 201, body);
    } catch (error) {
      const declined = error instanceof ApiError && error.status === 402;
      if (policy.unlockOnError && !declined && !(error instanceof ApiError && error.status === 409)) await store.unlock(userId, key, token).catch(() => {});
      if (declined && !policy.storeDeclines) await store.unlock(userId, key, token).catch(() => {});
      throw error;
    }
  }

  const app = express();
  app.disable("x-powered-by");
  app.use(
    express.json({
      limit: "16kb",
      verify: (req, _res, buffer) => {
        (req as { rawBody?: string }).rawBody = buffer.toString("utf8");
      },
    }),
  );
  app.post("/payments", (req, res, next) => {
    pay(req, res).catch(next);
  });
  const errors: ErrorRequestHandler = (error, _req, res, _next) => {
    const known =
      error instanceof ApiError
        ? error
        : (error as { type?: string }).type === "entity.parse.failed"
          ? new ApiError(400, "INVALID_REQUEST", "the body is not valid JSON")
          : new ApiError(500, "INTERNAL", "something went wrong; retry with the same Idempotency-Key");
    sendJson(res, known.status, known.body());
  };
  app.use(errors);

  return {
    app,
    migrate: () => store.migrate(),
    reapExpiredKeys: () => store.reap(now()),
  };
}
