import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { body, describe, expectError, expectPayment, expectSameAnswer, inFlight, startInstance, world } from "./service.ts";

graded(
  "mismatch.different-body",
  { points: 3, timeoutMs: 6000, hint: "The same key with any field changed is 422 IDEMPOTENCY_KEY_REUSED: compare amountCents, currency and customerId, all three." },
  async (t) => {
    const shared = await world(t);
    const instance = await startInstance(t, shared);
    const original = await instance.pay({ key: "order-9" });
    expectPayment(original, body, shared.clock, describe({ key: "order-9" }));
    for (const changed of [
      { ...body, amountCents: body.amountCents + 1 },
      { ...body, currency: "USD" },
      { ...body, customerId: "cus_43" },
    ]) {
      expectError(await instance.pay({ key: "order-9", body: changed }), 422, "IDEMPOTENCY_KEY_REUSED", `${describe({ key: "order-9", body: changed })} after ${JSON.stringify(body)} succeeded`);
    }
    expect(shared.provider.calls.length, "provider.charge() calls").toBe(1);
    expectSameAnswer(await instance.pay({ key: "order-9" }), original, `${describe({ key: "order-9" })} after the refused ones`);
  },
);

graded(
  "mismatch.while-in-flight",
  { points: 2, timeoutMs: 6000, hint: "Compare the fingerprint before looking at the lock: another body is 422 even while the first request is still in flight." },
  async (t) => {
    const shared = await world(t);
    const instance = await startInstance(t, shared);
    shared.provider.next("hold");
    const first = inFlight(instance.pay({ key: "order-10" }));
    await shared.provider.called(1);
    const changed = { ...body, amountCents: 9900 };
    expectError(await instance.pay({ key: "order-10", body: changed, timeoutMs: 1500 }), 422, "IDEMPOTENCY_KEY_REUSED", `${describe({ key: "order-10", body: changed })} while the first request waits on the provider`);
    shared.provider.release();
    expectPayment(await first.result, body, shared.clock, `${describe({ key: "order-10" })} (the first request, once the provider answered)`);
    expect(shared.provider.calls.length, "provider.charge() calls").toBe(1);
  },
);
