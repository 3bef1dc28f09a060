import { expect } from "vitest";
import { eventually, gatePool, graded } from "../../../harness/testing/index.ts";
import { fencedStore, load, managers } from "./implementation.ts";

graded(
  "fencing.fences-increase",
  { points: 3, timeoutMs: 15_000, hint: "INCR a counter for the resource in the same script that takes the lock; every manager sees the same counter." },
  async (t) => {
    const all = await managers(t, 3, { ttlMs: 10_000, retry: { attempts: 100_000, delayMs: 5, jitterMs: 5 } });
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      const lease = (await all[i % 3]!.manager.acquire("ledger"))!;
      seen.push(lease.fence);
      await lease.release();
    }
    await Promise.all(Array.from({ length: 24 }, (_, i) => all[i % 3]!.manager.using("ledger", async (_signal, lease) => void seen.push(lease.fence))));
    const bad = seen.filter((fence) => !Number.isSafeInteger(fence) || fence <= 0);
    expect(bad, "fences that are not positive integers").toEqual([]);
    const out = seen.flatMap((fence, i) => (i > 0 && fence <= seen[i - 1]! ? [`#${i}: ${seen[i - 1]} then ${fence}`] : []));
    expect(out, `fences in the order the lock was held, over 3 managers (${seen.join(", ")}): each must be greater than the one before`).toEqual([]);
  },
);

graded(
  "fencing.survives-expiry",
  { points: 2, timeoutMs: 6000, hint: "The fence counter must outlive the lock: don't give it the lock's TTL, and don't keep it in the lock's key." },
  async (t) => {
    const [a, b] = await managers(t, 2, { ttlMs: 150 });
    const first = (await a!.manager.acquire("ledger"))!;
    const second = await eventually(
      async () => {
        const lease = await b!.manager.acquire("ledger");
        expect(lease, "B's acquire after A's lease ran out").not.toBeNull();
        return lease!;
      },
      { timeoutMs: 3000, intervalMs: 10 },
    );
    expect(second.fence, `B's fence after A's lease (fence ${first.fence}) expired unreleased`).toBeGreaterThan(first.fence);
  },
);

graded("fencing.store-rules", { points: 3, hint: "Accept a write when its fence is at least the highest fence accepted so far for that resource; reject a lower one with \"stale\"." }, async (t) => {
  const { store } = await fencedStore(t);
  await store.migrate();
  expect(await store.read("doc"), "read() of a resource never written").toBeNull();
  expect(await store.write("doc", 5, "a"), "write(doc, 5, a) first write").toBe("ok");
  expect(await store.read("doc"), "read() after write(doc, 5, a)").toBe("a");
  expect(await store.write("doc", 5, "b"), "write(doc, 5, b): the same holder writes again").toBe("ok");
  expect(await store.write("doc", 4, "c"), "write(doc, 4, c): an older fence").toBe("stale");
  expect(await store.read("doc"), "read() after the stale write").toBe("b");
  expect(await store.write("other", 1, "x"), "write(other, 1, x): resources are independent").toBe("ok");
  expect(await store.write("doc", 9_000_000_000, "d"), "write(doc, 9000000000, d): fences beyond 32 bits").toBe("ok");
  expect(await store.write("doc", 8_999_999_999, "e"), "write(doc, 8999999999, e)").toBe("stale");
  expect(await store.read("doc"), "read(doc)").toBe("d");
  expect(await store.read("other"), "read(other)").toBe("x");
  expect(await store.write("quote's", 1, "it's \"quoted\" ; DROP"), "a value and resource with quotes").toBe("ok");
  expect(await store.read("quote's"), "read() of a value with quotes").toBe("it's \"quoted\" ; DROP");
});

graded(
  "fencing.stale-holder-rejected",
  { points: 4, timeoutMs: 6000, hint: "Pass lease.fence with every write; the store must remember the highest fence per resource." },
  async (t) => {
    const [a, b] = await managers(t, 2, { ttlMs: 150 });
    const { store } = await fencedStore(t);
    const paused = (await a!.manager.acquire("invoice"))!;
    expect(await store.write("invoice", paused.fence, "draft by A"), "A writes while it holds the lock").toBe("ok");
    // A stalls (a GC pause, a slow disk) past its lease; B takes over and writes.
    const current = await eventually(
      async () => {
        const lease = await b!.manager.acquire("invoice");
        expect(lease, "B's acquire after A's lease ran out").not.toBeNull();
        return lease!;
      },
      { timeoutMs: 3000, intervalMs: 10 },
    );
    expect(await store.write("invoice", current.fence, "final by B"), "B writes with its fence").toBe("ok");
    expect(await store.write("invoice", paused.fence, "late by A"), `A wakes up and writes with its old fence ${paused.fence} (B's is ${current.fence})`).toBe("stale");
    expect(await store.read("invoice"), "the value after A's late write").toBe("final by B");
  },
);

graded(
  "fencing.store-is-atomic",
  { points: 3, timeoutMs: 8000, hint: "A SELECT of the current fence followed by a separate write is a race. Compare and write in one statement (ON CONFLICT ... DO UPDATE ... WHERE), or lock the row (SELECT ... FOR UPDATE) in a transaction." },
  async (t) => {
    const { createFencedStore } = await load(t);
    // The gate wraps connections as they open, so it goes on before the first query.
    const slowPool = t.postgres();
    const gate = gatePool(slowPool);
    const slow = { store: createFencedStore({ pg: slowPool }) };
    await slow.store.migrate();
    const fast = await fencedStore(t);
    expect(await fast.store.write("race", 1, "seed"), "seed write").toBe("ok");
    // The older write's queries run, but their results are held while a newer write goes through.
    gate.close();
    const older = slow.store.write("race", 2, "older");
    older.catch(() => {});
    await eventually(async () => expect(gate.held, "queries of write(race, 2) held at the gate").toBeGreaterThan(0), { timeoutMs: 3000, intervalMs: 2 });
    const newer = fast.store.write("race", 3, "newer");
    newer.catch(() => {});
    // A correct store may make the newer write wait for the older one's transaction; give up waiting after a second.
    await Promise.race([newer, new Promise((resolve) => setTimeout(resolve, 1000))]);
    gate.open();
    await older;
    expect(await newer, "write(race, 3, newer), racing write(race, 2, older)").toBe("ok");
    expect(await fast.store.read("race"), "the value after write(race, 2) and write(race, 3) raced").toBe("newer");
  },
);
