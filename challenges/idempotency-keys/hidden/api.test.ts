import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import { callsPerSecond, graded, serve, throughputComparison } from "../../../harness/testing/index.ts";
import type { PaymentsModule } from "./implementation.ts";
import { ProviderDouble } from "./provider-double.ts";
import { body, describe, expectError, expectPayment, startInstance, testClock, world } from "./service.ts";

graded(
  "api.charges-once",
  { points: 3, timeoutMs: 6000, hint: "Answer 201 with { id, status: \"succeeded\", amountCents, currency, customerId, chargeId, createdAt }, after one provider.charge() with an idempotency key of your own." },
  async (t) => {
    const shared = await world(t);
    const instance = await startInstance(t, shared);
    const response = await instance.pay({ key: "order-1001" });
    const payment = expectPayment(response, body, shared.clock, describe({ key: "order-1001" }));
    expect(shared.provider.calls.length, "provider.charge() calls for one payment").toBe(1);
    const call = shared.provider.calls[0]!;
    expect({ amountCents: call.amountCents, currency: call.currency, customerId: call.customerId }, "what provider.charge() was asked to charge").toEqual(body);
    expect(typeof call.idempotencyKey === "string" && call.idempotencyKey.length > 0, `provider.charge()'s idempotencyKey should be a non-empty string, got ${JSON.stringify(call.idempotencyKey)}`).toBe(true);
    expect(payment.chargeId, "body.chargeId: the provider's charge id").toBe(shared.provider.charges.get(call.idempotencyKey)?.chargeId);
  },
);

graded(
  "api.distinct-keys",
  { points: 2, timeoutMs: 6000, hint: "Two Idempotency-Keys are two payments, even with the same body; give each its own provider idempotency key. migrate() must be safe to run again." },
  async (t) => {
    const shared = await world(t);
    const instance = await startInstance(t, shared);
    const first = expectPayment(await instance.pay({ key: "order-1" }), body, shared.clock, describe({ key: "order-1" }));
    await instance.service.migrate();
    await instance.service.migrate();
    const second = expectPayment(await instance.pay({ key: "order-2" }), body, shared.clock, `${describe({ key: "order-2" })}, after migrate() ran twice more`);
    expect(second.id, "payment ids of two keys").not.toBe(first.id);
    expect(second.chargeId, "charge ids of two keys").not.toBe(first.chargeId);
    expect(new Set(shared.provider.keys()).size, `distinct idempotency keys given to the provider for two payments (${JSON.stringify(shared.provider.keys())})`).toBe(2);
    expect(shared.provider.charges.size, "distinct charges").toBe(2);
  },
);

graded(
  "api.headers-checked",
  { points: 2, timeoutMs: 6000, hint: "No X-User-Id is 401 UNAUTHENTICATED; no Idempotency-Key, an empty one or one over 255 characters is 400 INVALID_IDEMPOTENCY_KEY; neither stores or charges anything." },
  async (t) => {
    const shared = await world(t);
    const instance = await startInstance(t, shared);
    expectError(await instance.pay({ user: null }), 401, "UNAUTHENTICATED", describe({ user: null }));
    expectError(await instance.pay({ key: null }), 400, "INVALID_IDEMPOTENCY_KEY", describe({ key: null }));
    expectError(await instance.pay({ key: "" }), 400, "INVALID_IDEMPOTENCY_KEY", describe({ key: "" }));
    const tooLong = "k".repeat(256);
    expectError(await instance.pay({ key: tooLong }), 400, "INVALID_IDEMPOTENCY_KEY", describe({ key: tooLong }));
    expect(shared.provider.calls.length, "provider.charge() calls for requests that were refused").toBe(0);
    const longest = "k".repeat(255);
    expectPayment(await instance.pay({ key: longest }), body, shared.clock, describe({ key: longest }));
    const userFirst = "order-77";
    expectError(await instance.pay({ key: userFirst, user: null }), 401, "UNAUTHENTICATED", describe({ key: userFirst, user: null }));
    expectPayment(await instance.pay({ key: userFirst }), body, shared.clock, `${describe({ key: userFirst })}, after the same key without X-User-Id was refused`);
  },
);

throughputComparison<PaymentsModule>("api", { name: "new payments (POST /payments, a fresh key each)", unit: "payments/s" }, async (impl, t) => {
  // The reference and the learner's code run one after the other in one test: start each on an empty database.
  await t.postgres().query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
  const service = impl.createPaymentsApp({ pg: t.postgres(), provider: new ProviderDouble(impl), keyTtlMs: 86_400_000, lockTimeoutMs: 10_000, now: testClock().now });
  await service.migrate();
  const server = await serve(service.app);
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const payload = JSON.stringify(body);
  const run = `${Math.random()}`;
  const pay = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(payload), "x-user-id": "bench", "idempotency-key": `${run}-${i}` };
      const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/payments", agent, headers }, (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 201 ? resolve() : reject(new Error(`POST /payments answered ${res.statusCode}`))));
      });
      req.on("error", reject);
      req.end(payload);
    });
  try {
    await callsPerSecond(100, 16, (i) => pay(100_000 + i)); // warm-up: connections and JIT, so the order of measurement does not matter
    return await callsPerSecond(600, 16, pay);
  } finally {
    agent.destroy();
  }
});
