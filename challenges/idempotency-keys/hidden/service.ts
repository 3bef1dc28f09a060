/**
 * Shared by the hidden files (not a test file): runs instances of the implementation under
 * test as real HTTP servers on one database, with one provider double and one clock, and
 * talks to them the way a client would.
 */
import request from "supertest";
import { expect } from "vitest";
import { serve, type GradedContext, type InstrumentedPool } from "../../../harness/testing/index.ts";
import type { PaymentsService } from "../src/index.ts";
import { load } from "./implementation.ts";
import { ProviderDouble } from "./provider-double.ts";

export type Response = request.Response;

/** The body the suite pays with unless a test says otherwise. */
export const body = { amountCents: 2500, currency: "EUR", customerId: "cus_42" };
export type PaymentBody = typeof body;
export const defaultUser = "user-1";
/** `Date.prototype.toISOString()`'s format. */
export const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The injected clock: frozen, moved only by the test. */
export interface TestClock {
  readonly start: number;
  now(): Date;
  /** Sets the clock to `start + ms`. */
  at(ms: number): void;
}

export function testClock(): TestClock {
  const start = Date.now();
  let current = start;
  return {
    start,
    now: () => new Date(current),
    at(ms) {
      current = start + ms;
    },
  };
}

/** The world shared by every instance in a test: one provider, one clock. */
export interface World {
  provider: ProviderDouble;
  clock: TestClock;
}

export async function world(t: GradedContext): Promise<World> {
  return { provider: new ProviderDouble(await load(t)), clock: testClock() };
}

export interface PayOptions {
  key?: string | null;
  user?: string | null;
  /** An object is sent as JSON; a string is sent as is, with Content-Type application/json. */
  body?: unknown;
  /** Fails the request if no answer came within this time. */
  timeoutMs?: number;
}

/** One running instance of the learner's service. */
export interface Instance {
  pool: InstrumentedPool;
  service: PaymentsService;
  /** POST /payments; starts at once. */
  pay(options: PayOptions): Promise<Response>;
}

export interface InstanceOptions {
  keyTtlMs?: number;
  lockTimeoutMs?: number;
  /** The pool to give the instance (a gated one, say). @default a new pool on the test's database */
  pool?: InstrumentedPool;
}

/** Starts an instance on its own pool, migrated, sharing the world's provider and clock. */
export async function startInstance(t: GradedContext, shared: World, options: InstanceOptions = {}): Promise<Instance> {
  const { createPaymentsApp } = await load(t);
  const pool = options.pool ?? t.postgres();
  const service = createPaymentsApp({
    pg: pool,
    provider: shared.provider,
    keyTtlMs: options.keyTtlMs ?? 86_400_000,
    lockTimeoutMs: options.lockTimeoutMs ?? 10_000,
    now: () => shared.clock.now(),
  });
  await service.migrate();
  const server = await serve(service.app);
  return {
    pool,
    service,
    pay(options) {
      let pending = request(server).post("/payments");
      const key = options.key === undefined ? "key-1" : options.key;
      const user = options.user === undefined ? defaultUser : options.user;
      if (key !== null) pending = pending.set("Idempotency-Key", key);
      if (user !== null) pending = pending.set("X-User-Id", user);
      if (options.timeoutMs) pending = pending.timeout(options.timeoutMs);
      const sent = options.body ?? body;
      pending = typeof sent === "string" ? pending.set("Content-Type", "application/json").send(sent) : pending.send(sent as object);
      return pending.then((response) => response);
    },
  };
}

/** A request as it appears in messages. */
export function describe(options: PayOptions): string {
  const key = options.key === undefined ? "key-1" : options.key;
  const user = options.user === undefined ? defaultUser : options.user;
  const sent = typeof options.body === "string" ? options.body : JSON.stringify(options.body ?? body);
  const shown = sent.length > 80 ? `${sent.slice(0, 60)}… (${sent.length} chars)` : sent;
  return `POST /payments (Idempotency-Key: ${key === null ? "none" : JSON.stringify(key.length > 40 ? `${key.slice(0, 20)}…(${key.length} chars)` : key)}, X-User-Id: ${user === null ? "none" : JSON.stringify(user)}) ${shown}`;
}

/** The response as a short string, for assertion messages. */
export function show(response: Response): string {
  const replayed = response.headers["idempotent-replayed"] ? ` Idempotent-Replayed: ${response.headers["idempotent-replayed"]}` : "";
  const type = response.headers["content-type"] ? ` (${String(response.headers["content-type"]).split(";")[0]})` : "";
  const text = typeof response.text === "string" ? response.text : "";
  return `${response.status}${type}${replayed}${text ? ` ${text.length > 300 ? `${text.slice(0, 300)}…` : text}` : ""}`;
}

export function expectStatus(response: Response, status: number, what: string): void {
  expect(response.status, `${what} answered ${show(response)}`).toBe(status);
}

/** A JSON error body: `{ "error": { "code": <code>, "message": <string> } }`. */
export function expectError(response: Response, status: number, code: string, what: string): void {
  expectStatus(response, status, what);
  expect(String(response.headers["content-type"] ?? ""), `${what}: Content-Type of the ${status}`).toMatch(/application\/json/);
  expect(response.body?.error?.code, `${what} answered ${show(response)}: body.error.code`).toBe(code);
  expect(typeof response.body?.error?.message, `${what} answered ${show(response)}: body.error.message should be a string`).toBe("string");
}

/** A first answer (not a replay). */
export function expectOriginal(response: Response, what: string): void {
  expect(response.headers["idempotent-replayed"], `${what} answered ${show(response)}: a first answer has no Idempotent-Replayed: true`).not.toBe("true");
}

/** A 201 for `sent`, recorded at the clock's current time, not a replay. */
export function expectPayment(response: Response, sent: PaymentBody, clock: TestClock, what: string): PaymentBody & { id: string; status: string; chargeId: string; createdAt: string } {
  expectStatus(response, 201, what);
  expect(String(response.headers["content-type"] ?? ""), `${what}: Content-Type of the 201`).toMatch(/application\/json/);
  expectOriginal(response, what);
  const payment = response.body;
  expect(typeof payment?.id === "string" && payment.id.length > 0, `${what} answered ${show(response)}: body.id should be a non-empty string`).toBe(true);
  expect(payment.status, `${what}: body.status`).toBe("succeeded");
  expect({ amountCents: payment.amountCents, currency: payment.currency, customerId: payment.customerId }, `${what}: the body's amountCents, currency and customerId`).toEqual(sent);
  expect(payment.createdAt, `${what}: body.createdAt, now() as an ISO 8601 timestamp`).toBe(clock.now().toISOString());
  return payment;
}

/** A replay of `original`: the same status and body, byte for byte, marked as replayed. */
export function expectReplay(response: Response, original: Response, what: string): void {
  expect(response.status, `${what} answered ${show(response)}: a replay has the first answer's status`).toBe(original.status);
  expect(response.headers["idempotent-replayed"], `${what} answered ${show(response)}: a replay carries Idempotent-Replayed: true`).toBe("true");
  expect(response.text, `${what}: a replay's body is the first answer's body, byte for byte`).toBe(original.text);
}

/** A replay of `original` whose body is the same JSON (key order and spacing not judged). */
export function expectSameAnswer(response: Response, original: Response, what: string): void {
  expect(response.status, `${what} answered ${show(response)}: a replay has the first answer's status`).toBe(original.status);
  expect(response.headers["idempotent-replayed"], `${what} answered ${show(response)}: a replay carries Idempotent-Replayed: true`).toBe("true");
  expect(response.body, `${what}: a replay's body is the first answer's body (first answer: ${original.text})`).toEqual(original.body);
}

/** Starts a request now and keeps its outcome (a rejection included) for later. */
export function inFlight(pending: Promise<Response>): { settled: boolean; result: Promise<Response> } {
  const state = { settled: false, result: pending };
  pending.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}
