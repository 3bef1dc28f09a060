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

/** A first page of 10 orders with their lines: the reference against its two queries sent by hand, with no cursor or mapping (one query with a LATERAL json_agg measured slower: 0.7× of this). */
export const queryTuningBench: ThroughputBench = {
  challenge: "query-tuning",
  services: ["postgres"],
  unit: "pages/s",
  referenceName: "listOrders(user, { limit: 10 }), 1,500 users",
  limitName: "the two indexed queries by hand (page LIMIT 11, lines = ANY)",
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
    const page = async (i: number) => {
      const orders = await pg!.query("SELECT id FROM shop.orders WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 11", [user(i)]);
      await pg!.query("SELECT order_id, product_id, quantity, unit_price_cents FROM shop.order_lines WHERE order_id = ANY($1::integer[]) ORDER BY order_id, id", [
        orders.rows.slice(0, 10).map((row) => row.id as number),
      ]);
    };
    await callsPerSecond(300, concurrency, page);
    return callsPerSecond(total, concurrency, page);
  },
};
