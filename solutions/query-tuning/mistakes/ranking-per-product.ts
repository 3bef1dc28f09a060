/**
 * Mistake: the ranking asks which products sold in the window, then sums each product in a query
 * of its own.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";

export const mustFail = ["n-plus-one.lookup-queries"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    async topProducts(pg, since, limit) {
      const sold = await pg.query("SELECT DISTINCT l.product_id FROM shop.orders o JOIN shop.order_lines l ON l.order_id = o.id WHERE o.created_at >= $1", [since]);
      const totals: { productId: number; units: number }[] = [];
      for (const { product_id } of sold.rows) {
        const sum = await pg.query(
          "SELECT sum(l.quantity) AS units FROM shop.orders o JOIN shop.order_lines l ON l.order_id = o.id WHERE o.created_at >= $1 AND l.product_id = $2",
          [since, product_id],
        );
        totals.push({ productId: product_id as number, units: Number(sum.rows[0].units) });
      }
      return totals.sort((a, b) => b.units - a.units || a.productId - b.productId).slice(0, limit);
    },
  });
}
