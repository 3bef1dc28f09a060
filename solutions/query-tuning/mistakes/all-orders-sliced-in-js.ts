/**
 * Mistake: every page loads all the user's orders and slices them in JS, the cursor being the
 * offset. Few queries and no sort, but a first page reads all 3,000 orders, and rows
 * added above the cursor shift later pages.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";
import type { OrderRow } from "../orders-service.ts";

export const mustFail = ["pagination.deep-pages", "pagination.inserts-between-pages", "filters.status-plans"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    async page(pg, userId, query) {
      const offset = query.cursor === undefined ? 0 : Number(query.cursor);
      const result = await pg.query<OrderRow>(
        `SELECT id, user_id, status, created_at, created_at::text AS position, total_cents FROM shop.orders
         WHERE user_id = $1 ${query.status ? "AND status = $2" : "AND $2::text IS NULL"} ORDER BY created_at DESC, id DESC`,
        [userId, query.status ?? null],
      );
      const rows = result.rows.slice(offset, offset + query.limit);
      return { rows, nextCursor: offset + query.limit < result.rows.length ? String(offset + query.limit) : null };
    },
  });
}
