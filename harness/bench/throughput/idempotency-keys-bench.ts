import http from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Express } from "express";
import { callsPerSecond } from "../../testing/concurrency.ts";
import type { ThroughputBench } from "./throughput-bench.ts";

const total = 3000;
const concurrency = 32;
const body = JSON.stringify({ amountCents: 2500, currency: "EUR", customerId: "cus_42" });

/** Serves `app` on loopback and measures POST /payments with a fresh Idempotency-Key each, expecting 201s. */
async function paymentsPerSecond(app: Express): Promise<number> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const run = `${Date.now()}-${Math.random()}`;
  const pay = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-user-id": "bench", "idempotency-key": `${run}-${i}` };
      const request = http.request({ host: "127.0.0.1", port, method: "POST", path: "/payments", agent, headers }, (response) => {
        response.resume();
        response.on("end", () => (response.statusCode === 201 ? resolve() : reject(new Error(`POST /payments answered ${response.statusCode}`))));
      });
      request.on("error", reject);
      request.end(body);
    });
  try {
    await callsPerSecond(300, concurrency, (i) => pay(1_000_000 + i));
    return await callsPerSecond(total, concurrency, pay);
  } finally {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** New payments through the reference against a bare Express handler doing the two writes any design needs: claim the key, store the answer. */
export const idempotencyKeysBench: ThroughputBench = {
  challenge: "idempotency-keys",
  services: ["postgres"],
  unit: "payments/s",
  referenceName: "POST /payments, a fresh key each (instant provider)",
  limitName: "bare Express: INSERT the key + UPDATE its answer",
  concurrency,
  async reference({ pg }) {
    const { createPaymentsApp } = await import("../../../solutions/idempotency-keys/index.ts");
    let charges = 0;
    const service = createPaymentsApp({ pg: pg!, provider: { charge: async () => ({ chargeId: `ch_${++charges}` }) }, keyTtlMs: 86_400_000, lockTimeoutMs: 10_000 });
    await service.migrate();
    return paymentsPerSecond(service.app);
  },
  async limit({ pg }) {
    await pg!.query("CREATE TABLE IF NOT EXISTS bench_keys (user_id text, idempotency_key text, response text, PRIMARY KEY (user_id, idempotency_key))");
    const app = express();
    app.use(express.json());
    app.post("/payments", async (req, res) => {
      const userId = req.get("x-user-id")!;
      const key = req.get("idempotency-key")!;
      await pg!.query("INSERT INTO bench_keys (user_id, idempotency_key) VALUES ($1, $2) ON CONFLICT DO NOTHING", [userId, key]);
      const answer = JSON.stringify({ id: key, status: "succeeded", ...req.body });
      await pg!.query("UPDATE bench_keys SET response = $3 WHERE user_id = $1 AND idempotency_key = $2", [userId, key, answer]);
      res.status(201).type("application/json").send(answer);
    });
    return paymentsPerSecond(app);
  },
};
