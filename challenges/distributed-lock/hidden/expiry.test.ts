import { expect } from "vitest";
import { graded, sentBefore, sleepUntil, withTimingRetries } from "../../../harness/testing/index.ts";
import { managers } from "./implementation.ts";

// Redis and this test share a clock (same machine): a TTL the server set started between
// our send and our receive. Early probes must be answered before the earliest instant a
// correct lease could end (else the attempt is inconclusive and retried); late probes
// leave `slackMs` after the latest instant it could end.
const slackMs = 150;

graded(
  "expiry.lease-lasts-ttl",
  { points: 4, timeoutMs: 10_000, concurrent: true, hint: "Use SET ... NX PX ttlMs: milliseconds, exactly ttlMs. EX takes whole seconds." },
  async (t) => {
    const ttlMs = 600;
    const [holder, probe] = await managers(t, 2, { ttlMs });
    await withTimingRetries(async (attempt) => {
      const resource = `ttl-${attempt}`;
      const sent = performance.now();
      expect(await holder!.manager.acquire(resource), "acquire of a free resource").not.toBeNull();
      const acquiredBy = performance.now();
      await sleepUntil(sent + ttlMs * 0.75);
      const early = await probe!.manager.acquire(resource);
      sentBefore(performance.now(), sent + ttlMs, "the probe at 0.75 × ttlMs");
      expect(early, `another manager's acquire ${ttlMs * 0.75} ms into a ${ttlMs} ms lease`).toBeNull();
      await sleepUntil(acquiredBy + ttlMs + slackMs);
      expect(await probe!.manager.acquire(resource), `another manager's acquire ${ttlMs + slackMs} ms after a ${ttlMs} ms lease began (the holder never released)`).not.toBeNull();
    });
  },
);

graded(
  "expiry.extend-sets-remaining",
  { points: 3, timeoutMs: 10_000, concurrent: true, hint: "extend(ms) sets the lock's remaining time to ms (PEXPIRE key ms), not ttlMs, and not the old remainder plus ms." },
  async (t) => {
    const [holder, probe] = await managers(t, 2, { ttlMs: 400 });
    const extendTo = 600;
    await withTimingRetries(async (attempt) => {
      const resource = `extend-${attempt}`;
      const lease = await holder!.manager.acquire(resource);
      expect(lease, "acquire of a free resource").not.toBeNull();
      const sent = performance.now();
      expect(await lease!.extend(extendTo), `extend(${extendTo}) right after acquiring with ttlMs 400`).toBe(true);
      const extendedBy = performance.now();
      await sleepUntil(sent + extendTo * 0.75);
      const early = await probe!.manager.acquire(resource);
      sentBefore(performance.now(), sent + extendTo, "the probe at 0.75 × 600 ms");
      expect(early, `another manager's acquire ${extendTo * 0.75} ms after extend(${extendTo})`).toBeNull();
      await sleepUntil(extendedBy + extendTo + slackMs);
      expect(await probe!.manager.acquire(resource), `another manager's acquire ${extendTo + slackMs} ms after extend(${extendTo}) (the holder never released)`).not.toBeNull();
    });
  },
);

graded(
  "expiry.expires-at",
  { points: 2, concurrent: true, hint: "expiresAt = Date.now() taken just before sending the command, plus the lease length. Update it after a successful extend()." },
  async (t) => {
    const ttlMs = 5000;
    const [holder] = await managers(t, 1, { ttlMs });
    const before = Date.now();
    const lease = (await holder!.manager.acquire("expires-at"))!;
    const after = Date.now();
    expect(lease.expiresAt, `expiresAt after acquire: between ${before} + ttlMs and ${after} + ttlMs`).toBeGreaterThanOrEqual(before + ttlMs);
    expect(lease.expiresAt, `expiresAt after acquire: between ${before} + ttlMs and ${after} + ttlMs`).toBeLessThanOrEqual(after + ttlMs);
    const beforeExtend = Date.now();
    expect(await lease.extend(9000), "extend(9000)").toBe(true);
    const afterExtend = Date.now();
    expect(lease.expiresAt, `expiresAt after extend(9000): between ${beforeExtend} + 9000 and ${afterExtend} + 9000`).toBeGreaterThanOrEqual(beforeExtend + 9000);
    expect(lease.expiresAt, `expiresAt after extend(9000): between ${beforeExtend} + 9000 and ${afterExtend} + 9000`).toBeLessThanOrEqual(afterExtend + 9000);
    const beforeDefault = Date.now();
    expect(await lease.extend(), "extend() with no argument").toBe(true);
    const afterDefault = Date.now();
    expect(lease.expiresAt, `expiresAt after extend(): between ${beforeDefault} + ttlMs and ${afterDefault} + ttlMs`).toBeGreaterThanOrEqual(beforeDefault + ttlMs);
    expect(lease.expiresAt, `expiresAt after extend(): between ${beforeDefault} + ttlMs and ${afterDefault} + ttlMs`).toBeLessThanOrEqual(afterDefault + ttlMs);
  },
);
