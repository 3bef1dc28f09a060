import { randomUUID } from "node:crypto";
import express, { type ErrorRequestHandler, type Request, type Response } from "express";
import type { PaymentsOptions, PaymentsService } from "../../challenges/idempotency-keys/src/index.ts";
import { ApiError, sendJson } from "./api-error.ts";
import { DeclinedError } from "./declined-error.ts";
import { PostgresKeyStore, type KeyStoreOptions, type Outcome } from "./key-store.ts";
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
  /** Whether a provider failure (502) is stored as the key's answer. */
  storeProviderErrors: boolean;
  /** Whether the body is validated only after the key was claimed. */
  validateAfterClaim: boolean;
  /** The user the key is stored under. */
  keyOwner(userId: string): string;
}

export const referencePolicy: PaymentsPolicy = {
  store: (pg, options) => new PostgresKeyStore(pg, options),
  fingerprint: (request) => fingerprint(request),
  providerKey: (stored) => stored,
  unlockOnError: true,
  storeDeclines: true,
  storeProviderErrors: false,
  validateAfterClaim: false,
  keyOwner: (userId) => userId,
};

const inProgress = () => new ApiError(409, "REQUEST_IN_PROGRESS", "a request with this Idempotency-Key is in progress; retry later");

/** The app with a policy; the reference is `createPolicyPaymentsApp(options, referencePolicy)`. */
export function createPolicyPaymentsApp(options: PaymentsOptions, policy: PaymentsPolicy): PaymentsService {
  const now = options.now ?? (() => new Date());
  const store = policy.store(options.pg, { keyTtlMs: options.keyTtlMs, lockTimeoutMs: options.lockTimeoutMs });

  async function pay(req: Request, res: Response): Promise<void> {
    const headers = parseHeaders(req.get("x-user-id"), req.get("idempotency-key"));
    const userId = policy.keyOwner(headers.userId);
    const key = headers.key;
    const rawBody = (req as { rawBody?: string }).rawBody ?? "";
    let request = policy.validateAfterClaim ? (req.body as PaymentRequest) : parsePaymentRequest(req.body);
    const claim = await store.claim({ userId, key, fingerprint: policy.fingerprint(request, rawBody), now: now() });
    if (claim.kind === "mismatch") throw new ApiError(422, "IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used with another request body");
    if (claim.kind === "in-progress") throw inProgress();
    if (claim.kind === "completed") return sendJson(res, claim.status, claim.body, true);

    const { token } = claim;
    /** Stores a final answer and sends it; a request whose lock was taken over records nothing. */
    const finish = async (status: number, body: string, payment?: Outcome["payment"]) => {
      if (!(await store.complete(userId, key, token, { status, body, payment }))) throw inProgress();
      sendJson(res, status, body);
    };
    try {
      if (policy.validateAfterClaim) request = parsePaymentRequest(req.body);
      let chargeId: string;
      try {
        ({ chargeId } = await options.provider.charge({ idempotencyKey: policy.providerKey(claim.providerKey, userId, key), ...request }));
      } catch (error) {
        if (error instanceof DeclinedError) {
          const declined = new ApiError(402, "CARD_DECLINED", "the card was declined", { declineCode: error.declineCode });
          if (policy.storeDeclines) return await finish(402, declined.body());
          throw declined;
        }
        const failed = new ApiError(502, "PROVIDER_ERROR", "the payment provider failed; retry with the same Idempotency-Key");
        if (policy.storeProviderErrors) return await finish(502, failed.body());
        throw failed;
      }
      const createdAt = now();
      const payment = { id: randomUUID(), status: "succeeded", ...request, chargeId, createdAt: createdAt.toISOString() };
      await finish(201, JSON.stringify(payment), { ...payment, createdAt });
    } catch (error) {
      // Anything but a stored answer or a lost lock gives the key back at once: the retry must not wait for lockTimeoutMs.
      const lostLock = error instanceof ApiError && error.status === 409;
      if (policy.unlockOnError && !lostLock) await store.unlock(userId, key, token).catch(() => {});
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
