import express from "express";
import { getsPerSecond } from "./http-load.ts";
import type { ThroughputBench } from "./throughput-bench.ts";

const total = 6000;
const concurrency = 32;

/** Cached redirects of the reference against a bare Express handler that does one Redis GET and redirects. */
export const urlShortenerBench: ThroughputBench = {
  challenge: "url-shortener",
  services: ["postgres", "redis"],
  unit: "redirects/s",
  referenceName: "GET /:code, cached",
  limitName: "bare Express: one Redis GET + 302",
  concurrency,
  async reference({ pg, redis }) {
    const { createApp, migrate } = await import("../../../solutions/url-shortener/index.ts");
    await migrate(pg!);
    const app = createApp({ pg: pg!, redis: redis!, baseUrl: "http://sho.rt" });
    const created = await new Promise<{ code: string }>((resolve, reject) => {
      // Create the link through the app itself, as a client would.
      const server = app.listen(0, "127.0.0.1", async () => {
        try {
          const { port } = server.address() as { port: number };
          const response = await fetch(`http://127.0.0.1:${port}/api/links`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ url: `https://example.com/bench/${Date.now()}?q=1` }),
          });
          resolve((await response.json()) as { code: string });
        } catch (error) {
          reject(error);
        } finally {
          server.close();
        }
      });
    });
    return getsPerSecond(app, `/${created.code}`, { total, concurrency, expectStatus: 302 });
  },
  async limit({ redis }) {
    await redis!.set("bench:link", "https://example.com/bench?q=1");
    const app = express();
    app.get("/:code", async (_req, res) => {
      const url = await redis!.get("bench:link");
      res.set("Cache-Control", "no-store").redirect(302, url!);
    });
    return getsPerSecond(app, "/abcdefg", { total, concurrency, expectStatus: 302 });
  },
};
