import { expect } from "vitest";
import { eventually, graded, sleepUntil } from "../../../harness/testing/index.ts";
import { managers } from "./implementation.ts";

graded("ownership.owner-can-release-and-extend", { points: 2, hint: "release() and extend() return true only while this lease's token is the one in Redis." }, async (t) => {
  const [a] = await managers(t, 1, { ttlMs: 10_000 });
  const lease = (await a!.manager.acquire("door"))!;
  expect(await lease.extend(), "extend() by the holder").toBe(true);
  expect(await lease.extend(20_000), "extend(20000) by the holder").toBe(true);
  expect(await lease.release(), "release() by the holder").toBe(true);
  expect(await lease.release(), "release() a second time").toBe(false);
  expect(await lease.extend(), "extend() after release()").toBe(false);
});

graded(
  "ownership.stale-holder-cannot-touch",
  { points: 4, timeoutMs: 6000, hint: "Compare the token and delete (or PEXPIRE) in one Lua script. A plain DEL from a holder whose lease ran out deletes the next holder's lock." },
  async (t) => {
    // A's lease is short; B's and C's are long, so B surely still holds the lock at the end, however slow the machine.
    const [a] = await managers(t, 1, { ttlMs: 150 });
    const [b, c] = await managers(t, 2, { ttlMs: 10_000 });
    const stale = (await a!.manager.acquire("door"))!;
    // A pauses past its lease; B takes the lock as soon as it is free.
    const current = await eventually(
      async () => {
        const lease = await b!.manager.acquire("door");
        expect(lease, "B's acquire after A's lease ran out").not.toBeNull();
        return lease!;
      },
      { timeoutMs: 3000, intervalMs: 10 },
    );
    expect(await stale.release(), "A.release() after its lease ran out and B took the lock").toBe(false);
    expect(await stale.extend(10_000), "A.extend() after its lease ran out and B took the lock").toBe(false);
    expect(await c!.manager.acquire("door"), "C's acquire: B must still hold the lock after A's release() and extend()").toBeNull();
    expect(await current.extend(), "B.extend()").toBe(true);
    expect(await current.release(), "B.release()").toBe(true);
  },
);

graded(
  "ownership.no-resurrection",
  { points: 2, timeoutMs: 5000, hint: "extend() on a lock that is gone must fail: someone may have taken and released it meanwhile. Don't SET it again." },
  async (t) => {
    const [a, b] = await managers(t, 2, { ttlMs: 150 });
    const lease = (await a!.manager.acquire("door"))!;
    const acquiredBy = performance.now();
    // Redis expires a key exactly at its deadline, which is at most ttlMs after the reply.
    await sleepUntil(acquiredBy + 150 + 50);
    expect(await lease.extend(10_000), "extend() after the lease ran out, with nobody else holding the lock").toBe(false);
    expect(await b!.manager.acquire("door"), "another manager's acquire after that extend()").not.toBeNull();
  },
);

graded(
  "ownership.one-round-trip",
  { points: 2, hint: "GET then DEL is two round trips and a race. One EVALSHA compares and deletes atomically." },
  async (t) => {
    const [a, b] = await managers(t, 2, { ttlMs: 10_000 });
    const warm = (await a!.manager.acquire("warm-up"))!;
    await warm.extend();
    await warm.release(); // loading scripts once is fine
    const lease = (await a!.manager.acquire("door"))!;
    const sent = () => [...new Set(a!.redis.traffic.commandNames)].join(", ");
    for (const [what, call] of [
      ["extend()", () => lease.extend()],
      ["release()", () => lease.release()],
      ["release() of a lock no longer held", () => lease.release()],
      ["extend() of a lock no longer held", () => lease.extend()],
    ] as const) {
      a!.redis.traffic.reset();
      await call();
      expect(a!.redis.traffic.roundTrips, `Redis round trips for ${what} (commands sent: ${sent()})`).toBe(1);
    }
    expect(await b!.manager.acquire("door"), "acquire after release").not.toBeNull();
  },
);
