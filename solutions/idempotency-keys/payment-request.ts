import { ApiError } from "./api-error.ts";

/** A validated POST /payments body. */
export interface PaymentRequest {
  amountCents: number;
  currency: string;
  customerId: string;
}

const fields = ["amountCents", "currency", "customerId"];
export const maxAmountCents = 99_999_999;
export const maxKeyLength = 255;

/** The body's fields, or a 400 INVALID_REQUEST saying what is wrong. */
export function parsePaymentRequest(body: unknown): PaymentRequest {
  const invalid = (message: string) => new ApiError(400, "INVALID_REQUEST", message);
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalid("the body must be a JSON object");
  const unknown = Object.keys(body).filter((field) => !fields.includes(field));
  if (unknown.length > 0) throw invalid(`unknown field(s): ${unknown.join(", ")}`);
  const { amountCents, currency, customerId } = body as Record<string, unknown>;
  if (typeof amountCents !== "number" || !Number.isInteger(amountCents) || amountCents < 1 || amountCents > maxAmountCents) {
    throw invalid(`amountCents must be an integer from 1 to ${maxAmountCents}`);
  }
  if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency)) throw invalid("currency must be three capital letters (ISO 4217)");
  if (typeof customerId !== "string" || customerId.length < 1 || customerId.length > 64) throw invalid("customerId must be a string of 1 to 64 characters");
  return { amountCents, currency, customerId };
}

/** The same fields in any order, with any whitespace, give the same fingerprint. */
export function fingerprint(request: PaymentRequest): string {
  return JSON.stringify([request.amountCents, request.currency, request.customerId]);
}

/** X-User-Id (401) and Idempotency-Key (400), checked before the body. */
export function parseHeaders(userId: string | undefined, key: string | undefined): { userId: string; key: string } {
  if (!userId || userId.length > maxKeyLength) throw new ApiError(401, "UNAUTHENTICATED", "X-User-Id is required (1 to 255 characters)");
  if (!key || key.length > maxKeyLength) throw new ApiError(400, "INVALID_IDEMPOTENCY_KEY", "Idempotency-Key is required (1 to 255 characters)");
  return { userId, key };
}
