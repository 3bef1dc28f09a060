import { expect } from "vitest";
import { graded, sleep, watchStalls, withTimingRetries } from "../../../harness/testing/index.ts";
import { load } from "./implementation.ts";
import { Backend, overload, type LoadOptions, type LoadResult } from "./overload.ts";

const capacity = 4;
const serviceMs = 50;
/** Ten times as many clients as the backend serves at once, each giving up after 300 ms. */
const load10x: LoadOptions = { clients: 40, durationMs: 1000, clientDeadlineMs: 300, backoffMs: 100 };
const queue = { maxQueue: 40, maxQueueWaitMs: 100 };

function show(result: LoadResult): string {
  return `${result.goodput} answered in time, ${result.shed} shed, ${result.timedOut} timed out, ${result.backendJobs} backend jobs`;
}

graded(
  "goodput.ten-times-capacity",
  {
    points: 5,
    timeoutMs: 20_000,
    hint: "Every job the backend does for a client that already gave up is wasted. Keep the queue short in time (maxQueueWaitMs), answer the rest 503 at once, and never let a request that already waited too long in.",
  },
  async (t) => {
    let bare: LoadResult | undefined;
    await withTimingRetries(async (attempt) => {
      const { createAdmission } = await load(t);
      // Side by side: the same service without a limiter, whose queue (in the backend) only grows.
      bare ??= await overload(new Backend(capacity, serviceMs), undefined, { ...load10x, durationMs: 600 });
      if (attempt === 1) await sleep(300); // the bare run's abandoned backend jobs drain
      const stalls = watchStalls(60);
      try {
        const admission = createAdmission({ maxConcurrent: capacity, ...queue, retryAfterSeconds: 1 });
        const limited = await overload(new Backend(capacity, serviceMs), admission.middleware, load10x);
        const capacityInRun = (capacity / serviceMs) * load10x.durationMs;
        const context = `${load10x.clients} clients (each gives up after ${load10x.clientDeadlineMs} ms) against a backend that does ${capacity} jobs of ${serviceMs} ms at once (${capacityInRun} in ${load10x.durationMs} ms); maxConcurrent ${capacity}, maxQueue ${queue.maxQueue}, maxQueueWaitMs ${queue.maxQueueWaitMs}. With your middleware: ${show(limited)}. Without any (for 600 ms): ${show(bare)}`;
        stalls.judge("the overload scenario", () => {
          expect(limited.goodput, `${context}. Requests answered 200 in time (at least half the backend's capacity)`).toBeGreaterThanOrEqual(capacityInRun / 2);
          expect(limited.goodput / Math.max(1, limited.backendJobs), `${context}. Share of the backend's jobs whose client got the answer in time (at least 0.8)`).toBeGreaterThanOrEqual(0.8);
        });
      } finally {
        stalls.stop();
      }
    }, 8);
  },
);
