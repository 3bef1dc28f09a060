import { expect } from "vitest";
import { graded, sleep } from "../../../harness/testing/index.ts";
import { managers } from "./implementation.ts";

graded("mutual-exclusion.one-holder", { points: 3, hint: "SET key token NX PX ttlMs takes a free lock and fails on a taken one, atomically." }, async (t) => {
  const [a, b] = await managers(t, 2, { ttlMs: 10_000 });
  const lease = await a!.manager.acquire("printer");
  expect(lease, "first acquire of a free resource").not.toBeNull();
  expect(lease!.resource, "lease.resource").toBe("printer");
  expect(typeof lease!.token, "typeof lease.token").toBe("string");
  expect(Number.isSafeInteger(lease!.fence) && lease!.fence > 0, `lease.fence is a positive integer (got ${lease!.fence})`).toBe(true);
  expect(await b!.manager.acquire("printer"), "acquire from another manager while the lock is held").toBeNull();
  expect(await a!.manager.acquire("printer"), "acquire from the same manager while the lock is held (a lock is not re-entrant)").toBeNull();
  expect(await b!.manager.acquire("scanner"), "acquire of another resource").not.toBeNull();
  expect(await lease!.release(), "release by the holder").toBe(true);
  expect(await b!.manager.acquire("printer"), "acquire after the holder released").not.toBeNull();
});

graded(
  "mutual-exclusion.concurrent-using",
  { points: 5, timeoutMs: 20_000, hint: "Every critical section must start only after a successful SET NX; a check (GET/EXISTS) followed by a separate SET lets two in." },
  async (t) => {
    const all = await managers(t, 5, { ttlMs: 10_000, retry: { attempts: 100_000, delayMs: 5, jitterMs: 5 } });
    let inside = 0;
    let maxInside = 0;
    let entered = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        all[i % all.length]!.manager.using("counter", async () => {
          inside++;
          entered++;
          maxInside = Math.max(maxInside, inside);
          await sleep(1 + (i % 3));
          inside--;
          return i;
        }),
      ),
    );
    const failed = results.flatMap((r, i) => (r.status === "rejected" ? [`#${i}: ${String(r.reason)}`] : []));
    expect(failed, "using() calls that rejected (50 over 5 managers, generous retries)").toEqual([]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : null)), "each using() resolves with its fn's value").toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(entered, "critical sections run").toBe(50);
    expect(maxInside, "critical sections running at the same time, at most").toBe(1);
  },
);

graded(
  "mutual-exclusion.unguessable-token",
  { points: 2, hint: "A token must be unguessable, or another client can release your lock: crypto.randomBytes(16).toString('hex') (or base64url), fresh for every lease." },
  async (t) => {
    const [a, b] = await managers(t, 2, { ttlMs: 10_000 });
    const tokens: string[] = [];
    for (let i = 0; i < 40; i++) {
      const lease = await (i % 2 ? b! : a!).manager.acquire("token");
      tokens.push(lease!.token);
      await lease!.release();
    }
    expect(new Set(tokens).size, "distinct tokens in 40 leases of one resource").toBe(40);
    const short = tokens.filter((token) => token.length < 22);
    expect(short, "tokens shorter than 22 characters (128 random bits need at least 22 base64 or 32 hex characters)").toEqual([]);
    const prefixes = new Map<string, number>();
    for (const token of tokens) prefixes.set(token.slice(0, 8), (prefixes.get(token.slice(0, 8)) ?? 0) + 1);
    const shared = [...prefixes].filter(([, n]) => n > 1).map(([prefix, n]) => `${prefix}… ×${n}`);
    expect(shared, "8-character prefixes shared by several tokens (a token built from the time, a counter or the process id is guessable)").toEqual([]);
  },
);
