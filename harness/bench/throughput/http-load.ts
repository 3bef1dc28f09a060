import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import { callsPerSecond } from "../../testing/concurrency.ts";

/** Serves `app` on loopback and measures GET requests per second at a fixed concurrency. */
export async function getsPerSecond(app: Express, pathname: string, options: { total: number; concurrency: number; expectStatus: number }): Promise<number> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const get = () =>
    new Promise<void>((resolve, reject) => {
      const request = http.get({ host: "127.0.0.1", port, path: pathname, agent }, (response) => {
        response.resume();
        response.on("end", () => (response.statusCode === options.expectStatus ? resolve() : reject(new Error(`GET ${pathname} answered ${response.statusCode}`))));
      });
      request.on("error", reject);
    });
  try {
    await get();
    return await callsPerSecond(options.total, options.concurrency, get);
  } finally {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
