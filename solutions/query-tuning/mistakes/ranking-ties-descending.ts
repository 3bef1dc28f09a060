/**
 * Mistake: ties in units are broken by the higher product id, not the lower one.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";

export const mustFail = ["correctness.top-products", "aggregates.sees-new-orders"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    async topProducts(pg, since, limit) {
      const result = await pg.query(
        `SELECT l.product_id, sum(l.quantity) AS units FROM shop.orders o JOIN shop.order_lines l ON l.order_id = o.id
         WHERE o.created_at >= $1 GROUP BY l.product_id ORDER BY units DESC, l.product_id DESC LIMIT $2`,
        [since, limit],
      );
      return result.rows.map((row) => ({ productId: row.product_id as number, units: Number(row.units) }));
    },
  });
}
