import { expect } from "vitest";
import { eventually, graded } from "../../../harness/testing/index.ts";
import { expectServed, serve, TestClock, type Service } from "./service.ts";

const L = 100;
const min = 2;
const max = 20;

async function adaptiveService(t: Parameters<Parameters<typeof graded>[2]>[0], maxConcurrent = 4) {
  const clock = new TestClock();
  const service = await serve(t, { maxConcurrent, maxQueue: 50, maxQueueWaitMs: 10_000, retryAfterSeconds: 1, adaptive: { min, max, now: clock.now } }, clock);
  return { clock, service };
}

/** `count` requests one after another, each taking `latency(i)` on the test's clock; returns limit() after each. */
async function samples(service: Service, count: number, latency: (i: number) => number): Promise<number[]> {
  const limits: number[] = [];
  for (let i = 0; i < count; i++) {
    await service.sample(latency(i));
    limits.push(service.admission.limit());
  }
  return limits;
}

graded(
  "adaptive.grows-to-max",
  { points: 2, timeoutMs: 10_000, hint: "A sample close to the baseline latency is a reason to allow one more request at once, up to max." },
  async (t) => {
    const { service } = await adaptiveService(t);
    expect(service.admission.limit(), "limit() before any request (maxConcurrent 4, min 2, max 20)").toBe(4);
    const limits = await samples(service, 100, () => L);
    expect(limits.at(-1), `limit() after 100 requests of ${L} ms each`).toBe(max);
  },
);

graded(
  "adaptive.shrinks-when-latency-doubles",
  { points: 3, timeoutMs: 10_000, hint: "Compare each sample with the baseline, not a slow average: a smoothed latency that needs dozens of samples to notice a doubling keeps the limit high while the backend drowns." },
  async (t) => {
    const { service } = await adaptiveService(t);
    const steady = await samples(service, 100, () => L);
    expect(steady.at(-1), `limit() after 100 requests of ${L} ms`).toBe(max);
    const doubled = await samples(service, max, () => 2 * L);
    expect(Math.min(...doubled), `lowest limit() during the first ${max} requests of ${2 * L} ms (limits: ${doubled.join(", ")})`).toBeLessThanOrEqual(max / 2);
  },
);

graded(
  "adaptive.ignores-jitter",
  { points: 3, timeoutMs: 10_000, hint: "Latency up to 1.25× the baseline is noise, not overload: only shrink when a sample is clearly slower (the reference's threshold is 1.5×)." },
  async (t) => {
    const { service } = await adaptiveService(t);
    await samples(service, 100, () => L);
    const jitter = [100, 125, 110, 120, 105, 115];
    const limits = await samples(service, 60, (i) => jitter[i % jitter.length]!);
    expect(limits, `limit() after each of 60 requests taking ${jitter.join(", ")}... ms (at most 1.25× the ${L} ms before)`).toEqual(limits.map(() => max));
  },
);

graded(
  "adaptive.recovers",
  { points: 2, timeoutMs: 10_000, hint: "When latency is back to the baseline, grow again: the limit must not stay low for good." },
  async (t) => {
    const { service } = await adaptiveService(t);
    await samples(service, 100, () => L);
    await samples(service, 40, () => 2 * L);
    const limits = await samples(service, 100, () => L);
    expect(limits.at(-1), `limit() after 40 requests of ${2 * L} ms, then 100 of ${L} ms`).toBe(max);
  },
);

graded(
  "adaptive.stays-in-bounds",
  { points: 2, timeoutMs: 10_000, hint: "Clamp to [min, max] and round down after every change; the first limit is maxConcurrent, clamped too." },
  async (t) => {
    const low = await adaptiveService(t, 1);
    expect(low.service.admission.limit(), "limit() before any request (maxConcurrent 1, min 2)").toBe(min);
    const high = await adaptiveService(t, 50);
    expect(high.service.admission.limit(), "limit() before any request (maxConcurrent 50, max 20)").toBe(max);
    const { service } = await adaptiveService(t);
    const phases: [string, number, (i: number) => number][] = [
      [`${L} ms`, 60, () => L],
      [`${10 * L} ms`, 60, () => 10 * L],
      [`${L} ms to ${4 * L} ms`, 60, (i) => L * (1 + (i % 4))],
      [`${L / 4} ms`, 60, () => L / 4],
    ];
    for (const [what, count, latency] of phases) {
      const limits = await samples(service, count, latency);
      const outside = limits.filter((limit) => !Number.isInteger(limit) || limit < min || limit > max);
      expect(outside, `limit() values that are not an integer in [${min}, ${max}] during ${count} requests of ${what}`).toEqual([]);
    }
  },
);

graded(
  "adaptive.limit-is-enforced",
  { points: 3, timeoutMs: 10_000, hint: "The limit limit() reports is the one you enforce: when it grows, waiting requests get the new slots; when it shrinks, fewer get in." },
  async (t) => {
    const { clock, service } = await adaptiveService(t);
    await samples(service, 100, () => L);
    const grown = service.admission.limit();
    expect(grown, `limit() after 100 requests of ${L} ms`).toBe(max);
    const wave = Array.from({ length: grown + 2 }, (_, i) => service.send(`w${i}`));
    await service.untilEntered(grown, `${grown + 2} requests at once with limit() ${grown}`);
    await service.untilQueued(2, `${grown + 2} requests at once with limit() ${grown}`);
    expect(service.running(), `handlers running at once with limit() ${grown}`).toBe(grown);
    clock.advance(L);
    service.releaseAll();
    await service.untilEntered(grown + 2, "after the first wave finished");
    clock.advance(L);
    service.releaseAll();
    for (const call of wave) expectServed(await call.reply, `request ${call.id}`);

    await service.untilInflight(0, "after the wave");
    await samples(service, 60, () => 10 * L);
    const shrunk = service.admission.limit();
    const second = Array.from({ length: shrunk + 3 }, (_, i) => service.send(`v${i}`));
    await service.untilEntered(grown + 2 + shrunk, `${shrunk + 3} requests at once with limit() ${shrunk}`);
    await service.untilQueued(3, `${shrunk + 3} requests at once with limit() ${shrunk}`);
    expect(service.running(), `handlers running at once after 60 requests of ${10 * L} ms, with limit() ${shrunk}`).toBe(shrunk);
    // Let the rest through, a limit's worth at a time.
    while (service.admission.inflight() > 0) {
      const before = service.entered.length;
      clock.advance(10 * L);
      service.releaseAll();
      await eventually(async () => expect(service.entered.length > before || service.admission.inflight() === 0, "the rest of the second wave gets in").toBe(true), { timeoutMs: 2500, intervalMs: 5 });
    }
    for (const call of second) expectServed(await call.reply, `request ${call.id}`);
  },
);
