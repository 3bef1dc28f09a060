import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { body, describe, expectPayment, expectSameAnswer, startInstance, world } from "./service.ts";

graded(
  "scoping.separate-payments",
  { points: 3, timeoutMs: 6000, hint: "A key is unique per (user, key). The provider de-duplicates by the key you send it: another user's payment must never send it the same one, or the provider hands back the first user's charge." },
  async (t) => {
    const shared = await world(t);
    const instance = await startInstance(t, shared);
    const alice = expectPayment(await instance.pay({ key: "order-1", user: "alice" }), body, shared.clock, describe({ key: "order-1", user: "alice" }));
    const bob = expectPayment(await instance.pay({ key: "order-1", user: "bob" }), body, shared.clock, `${describe({ key: "order-1", user: "bob" })} after alice used the same key`);
    expect(bob.id, "bob's payment is not alice's").not.toBe(alice.id);
    expect(bob.chargeId, "bob's charge is not alice's").not.toBe(alice.chargeId);
    expect(shared.provider.charges.size, `distinct charges for two users' payments (idempotency keys given to the provider: ${JSON.stringify(shared.provider.keys())})`).toBe(2);
  },
);

graded(
  "scoping.own-replays",
  { points: 2, timeoutMs: 6000, hint: "Look keys up by (user, key): another user's body under the same key is not a mismatch, and each user's retry replays their own payment." },
  async (t) => {
    const shared = await world(t);
    const instance = await startInstance(t, shared);
    const aliceFirst = await instance.pay({ key: "order-5", user: "alice" });
    expectPayment(aliceFirst, body, shared.clock, describe({ key: "order-5", user: "alice" }));
    const bobBody = { amountCents: 120_00, currency: "GBP", customerId: "cus_bob" };
    const bobFirst = await instance.pay({ key: "order-5", user: "bob", body: bobBody });
    expectPayment(bobFirst, bobBody, shared.clock, `${describe({ key: "order-5", user: "bob", body: bobBody })} after alice used the key with another body`);
    expectSameAnswer(await instance.pay({ key: "order-5", user: "alice" }), aliceFirst, `alice's retry: ${describe({ key: "order-5", user: "alice" })}`);
    expectSameAnswer(await instance.pay({ key: "order-5", user: "bob", body: bobBody }), bobFirst, `bob's retry: ${describe({ key: "order-5", user: "bob", body: bobBody })}`);
    expect(shared.provider.calls.length, "provider.charge() calls").toBe(2);
  },
);
