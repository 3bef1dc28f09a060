import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { body, describe, expectError, expectPayment, expectSameAnswer, startInstance, world } from "./service.ts";

const keyTtlMs = 3_600_000;
const lockTimeoutMs = 10_000;

graded(
  "expiry.new-request-after-ttl",
  { points: 4, timeoutMs: 6000, hint: "A key expires keyTtlMs after its first request (by now()), whether or not it was replayed since; after that the same key is a new payment, with a new fingerprint and a new provider key." },
  async (t) => {
    const shared = await world(t);
    const instance = await startInstance(t, shared, { keyTtlMs, lockTimeoutMs });
    const first = await instance.pay({ key: "order-19" });
    const original = expectPayment(first, body, shared.clock, describe({ key: "order-19" }));
    shared.clock.at(keyTtlMs - 1);
    expectSameAnswer(await instance.pay({ key: "order-19" }), first, `${describe({ key: "order-19" })} ${keyTtlMs - 1} ms after the first (keyTtlMs ${keyTtlMs})`);
    shared.clock.at(keyTtlMs + 1);
    const later = { ...body, amountCents: 4200 };
    const fresh = await instance.pay({ key: "order-19", body: later });
    const renewed = expectPayment(fresh, later, shared.clock, `${describe({ key: "order-19", body: later })} ${keyTtlMs + 1} ms after the first (keyTtlMs ${keyTtlMs}): a new payment`);
    expect(renewed.id, "the new payment's id").not.toBe(original.id);
    expect(shared.provider.charges.size, `distinct charges: one before the key expired, one after (provider idempotency keys: ${JSON.stringify(shared.provider.keys())})`).toBe(2);
    shared.clock.at(keyTtlMs + 2);
    expectSameAnswer(await instance.pay({ key: "order-19", body: later }), fresh, `${describe({ key: "order-19", body: later })} again`);
    expectError(await instance.pay({ key: "order-19" }), 422, "IDEMPOTENCY_KEY_REUSED", `${describe({ key: "order-19" })}: the key now belongs to the new body`);
  },
);

graded(
  "expiry.reaper",
  { points: 3, timeoutMs: 6000, hint: "reapExpiredKeys() deletes the keys whose first request is keyTtlMs or more before now(), no others, and resolves with how many it deleted." },
  async (t) => {
    const shared = await world(t);
    const instance = await startInstance(t, shared, { keyTtlMs, lockTimeoutMs });
    const older = await instance.pay({ key: "order-20" });
    expectPayment(older, body, shared.clock, describe({ key: "order-20" }));
    shared.clock.at(60_000);
    const newer = await instance.pay({ key: "order-21" });
    expectPayment(newer, body, shared.clock, `${describe({ key: "order-21" })} a minute later`);
    shared.clock.at(lockTimeoutMs * 10);
    expect(await instance.service.reapExpiredKeys(), `reapExpiredKeys() ${lockTimeoutMs * 10} ms after the first key (keyTtlMs ${keyTtlMs}): nothing has expired`).toBe(0);
    shared.clock.at(keyTtlMs + 1);
    expect(await instance.service.reapExpiredKeys(), `reapExpiredKeys() ${keyTtlMs + 1} ms after the first key and ${keyTtlMs + 1 - 60_000} ms after the second (keyTtlMs ${keyTtlMs})`).toBe(1);
    expectSameAnswer(await instance.pay({ key: "order-21" }), newer, `${describe({ key: "order-21" })}: its key has not expired`);
    expect(await instance.service.reapExpiredKeys(), "reapExpiredKeys() again at the same time").toBe(0);
    shared.clock.at(keyTtlMs + 60_000);
    expect(await instance.service.reapExpiredKeys(), `reapExpiredKeys() ${keyTtlMs} ms after the second key`).toBe(1);
    expectPayment(await instance.pay({ key: "order-21" }), body, shared.clock, `${describe({ key: "order-21" })} after its key was reaped: a new payment`);
    expect(shared.provider.charges.size, "distinct charges").toBe(3);
  },
);
