import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { body, describe, expectError, expectPayment, expectSameAnswer, inFlight, startInstance, world } from "./service.ts";

const lockTimeoutMs = 4500;

graded(
  "crash-recovery.charged-then-error",
  { points: 4, timeoutMs: 6000, hint: "The charge may have gone through before the error. Send the provider the same idempotency key on every attempt for a key, and it hands back that charge instead of making a second." },
  async (t) => {
    const shared = await world(t);
    const instance = await startInstance(t, shared, { lockTimeoutMs });
    shared.provider.next("fail-after-charge");
    expectError(await instance.pay({ key: "order-16" }), 502, "PROVIDER_ERROR", `${describe({ key: "order-16" })} (the provider charged, then the answer was lost)`);
    const retry = expectPayment(await instance.pay({ key: "order-16" }), body, shared.clock, `${describe({ key: "order-16" })} right after the 502`);
    const [charge] = [...shared.provider.charges.values()];
    expect(shared.provider.charges.size, `distinct charges (provider idempotency keys: ${JSON.stringify(shared.provider.keys())})`).toBe(1);
    expect(retry.chargeId, "body.chargeId of the retry: the charge made before the error").toBe(charge?.chargeId);
  },
);

graded(
  "crash-recovery.dead-request-taken-over",
  { points: 4, timeoutMs: 6000, hint: "A request that died leaves its key locked. Before lockedAt + lockTimeoutMs (by now()) a retry is 409; from then on it takes the lock over and completes the payment with the same provider key." },
  async (t) => {
    const shared = await world(t);
    const dying = await startInstance(t, shared, { lockTimeoutMs });
    const survivor = await startInstance(t, shared, { lockTimeoutMs });
    shared.provider.next("hang");
    const dead = inFlight(dying.pay({ key: "order-17" }));
    dead.result.catch(() => {});
    await shared.provider.called(1);
    shared.clock.at(lockTimeoutMs - 1);
    expectError(await survivor.pay({ key: "order-17", timeoutMs: 1500 }), 409, "REQUEST_IN_PROGRESS", `${describe({ key: "order-17" })} on another instance ${lockTimeoutMs - 1} ms after a request locked the key and died (lockTimeoutMs ${lockTimeoutMs})`);
    shared.clock.at(lockTimeoutMs + 1);
    const taken = expectPayment(await survivor.pay({ key: "order-17", timeoutMs: 1500 }), body, shared.clock, `${describe({ key: "order-17" })} on another instance ${lockTimeoutMs + 1} ms after a request locked the key and died (lockTimeoutMs ${lockTimeoutMs})`);
    expect(shared.provider.charges.size, `distinct charges (provider idempotency keys: ${JSON.stringify(shared.provider.keys())})`).toBe(1);
    expect(taken.chargeId, "body.chargeId: the charge the dead request made").toBe([...shared.provider.charges.values()][0]?.chargeId);
    expect(dead.settled, "the dead request never answered").toBe(false);
  },
);

graded(
  "crash-recovery.late-request-fenced",
  { points: 4, timeoutMs: 6000, hint: "A slow request can come back after its lock was taken over. Give each lock a token and store the answer only WHERE the token is still yours; otherwise record nothing and answer 409." },
  async (t) => {
    const shared = await world(t);
    const slow = await startInstance(t, shared, { lockTimeoutMs });
    const other = await startInstance(t, shared, { lockTimeoutMs });
    shared.provider.next("hold");
    const late = inFlight(slow.pay({ key: "order-18" }));
    await shared.provider.called(1);
    shared.clock.at(lockTimeoutMs + 1);
    const winner = await other.pay({ key: "order-18", timeoutMs: 1500 });
    expectPayment(winner, body, shared.clock, `${describe({ key: "order-18" })} on another instance ${lockTimeoutMs + 1} ms after a slow request locked the key`);
    shared.provider.release();
    expectError(await late.result, 409, "REQUEST_IN_PROGRESS", `the slow request, whose provider call answered after its lock was taken over`);
    expectSameAnswer(await other.pay({ key: "order-18" }), winner, `${describe({ key: "order-18" })} afterwards: the payment of the request that took over`);
    expectSameAnswer(await slow.pay({ key: "order-18" }), winner, `${describe({ key: "order-18" })} afterwards, on the slow request's instance`);
    expect(shared.provider.charges.size, "distinct charges").toBe(1);
  },
);
