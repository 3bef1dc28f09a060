import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { body, describe, expectOriginal, expectPayment, expectReplay, startInstance, world } from "./service.ts";

graded(
  "replay.same-response",
  { points: 4, timeoutMs: 6000, hint: "Store the status and the exact body text you sent with the key, in Postgres (any instance may get the retry); replay them with Idempotent-Replayed: true. jsonb reorders keys: keep the body as text." },
  async (t) => {
    const shared = await world(t);
    const first = await startInstance(t, shared);
    const second = await startInstance(t, shared);
    const original = await first.pay({ key: "order-7" });
    expectPayment(original, body, shared.clock, describe({ key: "order-7" }));
    expectReplay(await second.pay({ key: "order-7" }), original, `${describe({ key: "order-7" })} again, on another instance`);
    expectReplay(await first.pay({ key: "order-7" }), original, `${describe({ key: "order-7" })} a third time, on the first instance`);
    expect(shared.provider.calls.length, "provider.charge() calls for one payment asked three times").toBe(1);
  },
);

graded(
  "replay.same-fields-any-order",
  { points: 2, timeoutMs: 6000, hint: "Two bodies are the same request when their fields are equal: compare the parsed fields (a fingerprint of them in a fixed order), not the raw text." },
  async (t) => {
    const shared = await world(t);
    const instance = await startInstance(t, shared);
    const original = await instance.pay({ key: "order-8" });
    expectPayment(original, body, shared.clock, describe({ key: "order-8" }));
    const reordered = `{\n  "customerId": "${body.customerId}",\n  "currency":"${body.currency}",   "amountCents": ${body.amountCents}\n}`;
    const retry = await instance.pay({ key: "order-8", body: reordered });
    expectOriginal(original, "the first answer");
    expectReplay(retry, original, `${describe({ key: "order-8", body: reordered })} (the same fields in another order and spacing)`);
    expect(shared.provider.calls.length, "provider.charge() calls").toBe(1);
  },
);
