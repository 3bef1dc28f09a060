import type { InstrumentedPool } from "../../testing/index.ts";
import { callsPerSecond } from "../../testing/concurrency.ts";
import type { ThroughputBench } from "./throughput-bench.ts";

const total = 4000;
const concurrency = 32;
const user = (i: number) => 5 + (i % 1500);

async function seeded(pg: unknown): Promise<void> {
  const { seed } = await import("../../../challenges/query-tuning/hidden/shop.ts");
  await seed(pg as InstrumentedPool);
}

/** A first page of 10 orders with their lines: the reference (two queries) against one hand-written query that returns the page and its lines in one round trip. */
export const queryTuningBench: ThroughputBench = {
  challenge: "query-tuning",
  services: ["postgres"],
  unit: "pages/s",
  referenceName: "listOrders(user, { limit: 10 }), 1,500 users",
  limitName: "one keyset query with the lines as a LATERAL json_agg",
  concurrency,
  async reference({ pg }) {
    await seeded(pg);
    const { createOrdersService } = await import("../../../solutions/query-tuning/index.ts");
    const service = createOrdersService({ pg: pg! });
    await service.migrate();
    const page = (i: number) => service.listOrders(user(i), { limit: 10 });
    await callsPerSecond(300, concurrency, page);
    return callsPerSecond(total, concurrency, page);
  },
  async limit({ pg }) {
    await seeded(pg);
    const { createOrdersService } = await import("../../../solutions/query-tuning/index.ts");
    await createOrdersService({ pg: pg! }).migrate();
    const page = (i: number) =>
      pg!.query(
        `SELECT o.*, l.lines FROM (SELECT * FROM shop.orders WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 11) o
         CROSS JOIN LATERAL (SELECT json_agg(x ORDER BY x.id) AS lines FROM shop.order_lines x WHERE x.order_id = o.id) l`,
        [user(i)],
      );
    await callsPerSecond(300, concurrency, page);
    return callsPerSecond(total, concurrency, page);
  },
};
