/**
 * Mistake: one query per order for its lines: the N+1. A page of 100 costs 101 queries.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";
import type { OrderLine } from "../../../challenges/query-tuning/src/index.ts";

export const mustFail = ["n-plus-one.page-queries"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    async lines(pg, orderIds) {
      const byOrder = new Map<number, OrderLine[]>();
      for (const id of orderIds) {
        const result = await pg.query("SELECT product_id, quantity, unit_price_cents FROM shop.order_lines WHERE order_id = $1 ORDER BY id", [id]);
        byOrder.set(id, result.rows.map((row) => ({ productId: row.product_id, quantity: row.quantity, unitPriceCents: row.unit_price_cents })));
      }
      return byOrder;
    },
  });
}
