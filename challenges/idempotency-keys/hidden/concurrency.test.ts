import { expect } from "vitest";
import { gatePool, graded, runConcurrently, sleep } from "../../../harness/testing/index.ts";
import { body, describe, expectError, expectPayment, expectSameAnswer, inFlight, show, startInstance, world, type Response } from "./service.ts";

graded(
  "concurrency.in-flight-duplicate",
  { points: 4, timeoutMs: 6000, hint: "Lock the key in a committed row before calling the provider; a duplicate that finds it locked answers 409 REQUEST_IN_PROGRESS at once, without waiting for the first." },
  async (t) => {
    const shared = await world(t);
    const first = await startInstance(t, shared);
    const second = await startInstance(t, shared);
    shared.provider.next("hold");
    const original = inFlight(first.pay({ key: "order-11" }));
    await shared.provider.called(1);
    const duplicate = await second.pay({ key: "order-11", timeoutMs: 1500 });
    expectError(duplicate, 409, "REQUEST_IN_PROGRESS", `${describe({ key: "order-11" })} on another instance while the first waits on the provider`);
    expect(original.settled, "the first request is still waiting on the provider when the duplicate is answered").toBe(false);
    expect(shared.provider.calls.length, "provider.charge() calls while the first is in flight").toBe(1);
    shared.provider.release();
    const answer = await original.result;
    expectPayment(answer, body, shared.clock, `${describe({ key: "order-11" })} (the first request, once the provider answered)`);
    expectSameAnswer(await second.pay({ key: "order-11" }), answer, `${describe({ key: "order-11" })} once the first had finished`);
    expect(shared.provider.calls.length, "provider.charge() calls").toBe(1);
  },
);

graded(
  "concurrency.twenty-at-once",
  { points: 5, timeoutMs: 8000, hint: "SELECT then INSERT lets every request see no key. Claim the key with one atomic statement (INSERT ... ON CONFLICT) and let the unique index pick the one request that goes on; the others answer 409 or the replay, never a 5xx." },
  async (t) => {
    const shared = await world(t);
    const pools = [t.postgres(), t.postgres()];
    const gates = pools.map((pool) => gatePool(pool));
    const instances = [await startInstance(t, shared, { pool: pools[0] }), await startInstance(t, shared, { pool: pools[1] })];
    const count = 20;
    for (const gate of gates) gate.close();
    // Every request's first query runs in Postgres, but no request sees its result until all have been sent: the race is forced.
    const settled = runConcurrently(count, (i) => instances[i % 2]!.pay({ key: "order-12" }));
    const deadline = performance.now() + 1500;
    while (gates[0]!.held + gates[1]!.held < count && performance.now() < deadline) await sleep(10);
    for (const gate of gates) gate.open();
    const results = await settled;
    const answers: Response[] = [];
    for (const [i, result] of results.entries()) {
      if (result.status === "rejected") expect.fail(`request ${i + 1} of ${count} failed: ${String(result.reason)}`);
      answers.push(result.value);
    }
    for (const answer of answers) expect([201, 409], `each of ${count} identical concurrent requests answers 201 or 409, got ${show(answer)}`).toContain(answer.status);
    const created = answers.filter((answer) => answer.status === 201);
    const originals = created.filter((answer) => answer.headers["idempotent-replayed"] !== "true");
    expect(originals.length, `first answers (201 without Idempotent-Replayed) among ${count} identical requests (statuses: ${answers.map((a) => a.status).join(", ")})`).toBe(1);
    for (const answer of created) expect(answer.body, "every 201 is the one payment").toEqual(originals[0]!.body);
    expect(shared.provider.calls.length, `provider.charge() calls for ${count} identical concurrent requests`).toBe(1);
    expect(shared.provider.charges.size, "distinct charges").toBe(1);
    expectSameAnswer(await instances[0]!.pay({ key: "order-12" }), originals[0]!, `${describe({ key: "order-12" })} afterwards`);
  },
);
