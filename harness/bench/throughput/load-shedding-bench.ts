import express from "express";
import { getsPerSecond } from "./http-load.ts";
import type { ThroughputBench } from "./throughput-bench.ts";

const total = 8000;
const concurrency = 32;

function app(middleware?: express.RequestHandler): express.Express {
  const served = express();
  if (middleware) served.use(middleware);
  served.get("/work", (_req, res) => {
    res.json({ ok: true });
  });
  return served;
}

/** The reference's middleware on every request (slots taken and freed, nothing shed) against the same handler with no middleware at all. */
export const loadSheddingBench: ThroughputBench = {
  challenge: "load-shedding",
  services: [],
  unit: "requests/s",
  referenceName: "GET through the middleware (limit 16 of 32 clients, queue 32)",
  limitName: "the same Express handler, no middleware",
  concurrency,
  async reference() {
    const { createAdmission } = await import("../../../solutions/load-shedding/index.ts");
    const admission = createAdmission({ maxConcurrent: 16, maxQueue: 32, maxQueueWaitMs: 10_000, retryAfterSeconds: 1 });
    return getsPerSecond(app(admission.middleware), "/work", { total, concurrency, expectStatus: 200 });
  },
  async limit() {
    return getsPerSecond(app(), "/work", { total, concurrency, expectStatus: 200 });
  },
};
