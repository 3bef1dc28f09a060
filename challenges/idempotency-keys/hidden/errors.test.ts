import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { body, describe, expectError, expectPayment, expectReplay, show, startInstance, world } from "./service.ts";

graded(
  "errors.validation-not-stored",
  { points: 3, timeoutMs: 8000, hint: "Validate before you claim the key: a 400 stores nothing and charges nothing, so the same key with a valid body then succeeds. Malformed JSON needs an error-handling middleware, or Express answers with HTML." },
  async (t) => {
    const shared = await world(t);
    const instance = await startInstance(t, shared);
    const invalid: unknown[] = [
      { ...body, amountCents: 0 },
      { ...body, amountCents: -500 },
      { ...body, amountCents: 25.5 },
      { ...body, amountCents: "2500" },
      { ...body, amountCents: 100_000_000 },
      { ...body, currency: "eur" },
      { ...body, currency: "EURO" },
      { ...body, customerId: "" },
      { ...body, customerId: "c".repeat(65) },
      { amountCents: body.amountCents, customerId: body.customerId },
      { ...body, note: "unknown fields are refused" },
      [body],
      '{"amountCents": 2500, "currency": "EUR", "customerId": "cus_42"',
    ];
    for (const sent of invalid) {
      expectError(await instance.pay({ key: "order-13", body: sent }), 400, "INVALID_REQUEST", describe({ key: "order-13", body: sent }));
    }
    expect(shared.provider.calls.length, "provider.charge() calls for invalid bodies").toBe(0);
    const edge = { amountCents: 99_999_999, currency: "JPY", customerId: "c".repeat(64) };
    expectPayment(await instance.pay({ key: "order-13", body: edge }), edge, shared.clock, `${describe({ key: "order-13", body: edge })} after the same key was refused ${invalid.length} times with invalid bodies`);
  },
);

graded(
  "errors.decline-stored",
  { points: 3, timeoutMs: 6000, hint: "A decline is a final answer: store the 402 (with its declineCode) like a 201 and replay it; the key stays bound to its body." },
  async (t) => {
    const shared = await world(t);
    const instance = await startInstance(t, shared);
    shared.provider.next("decline");
    const declined = await instance.pay({ key: "order-14" });
    expectError(declined, 402, "CARD_DECLINED", `${describe({ key: "order-14" })} (the provider declines)`);
    expect(declined.body.error.declineCode, `${show(declined)}: body.error.declineCode, the DeclinedError's declineCode`).toBe("insufficient_funds");
    expect(declined.headers["idempotent-replayed"], "a first answer has no Idempotent-Replayed: true").not.toBe("true");
    expectReplay(await instance.pay({ key: "order-14" }), declined, `${describe({ key: "order-14" })} again`);
    expect(shared.provider.calls.length, "provider.charge() calls: a stored decline is replayed, not charged again").toBe(1);
    const other = { ...body, amountCents: 1000 };
    expectError(await instance.pay({ key: "order-14", body: other }), 422, "IDEMPOTENCY_KEY_REUSED", `${describe({ key: "order-14", body: other })} after the decline`);
  },
);

graded(
  "errors.provider-error-unlocks",
  { points: 3, timeoutMs: 6000, hint: "A provider failure is 502 PROVIDER_ERROR and is not stored: unlock the key at once (do not wait for lockTimeoutMs) and keep its body, so the retry charges with the same provider key." },
  async (t) => {
    const shared = await world(t);
    const instance = await startInstance(t, shared);
    shared.provider.next("fail-before-charge");
    expectError(await instance.pay({ key: "order-15" }), 502, "PROVIDER_ERROR", `${describe({ key: "order-15" })} (the provider is unreachable)`);
    const other = { ...body, amountCents: 1000 };
    expectError(await instance.pay({ key: "order-15", body: other }), 422, "IDEMPOTENCY_KEY_REUSED", `${describe({ key: "order-15", body: other })} right after the 502`);
    expectPayment(await instance.pay({ key: "order-15" }), body, shared.clock, `${describe({ key: "order-15" })} right after the 502 (the clock has not moved)`);
    const keys = shared.provider.keys();
    expect(keys.length, "provider.charge() calls: the failed one and the retry").toBe(2);
    expect(keys[1], "the retry's provider idempotency key is the failed attempt's").toBe(keys[0]);
  },
);
