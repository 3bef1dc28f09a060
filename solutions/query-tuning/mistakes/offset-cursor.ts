/**
 * Mistake: the cursor is an OFFSET. A deep page reads and discards every row before it, and a row
 * added or removed above the cursor shifts every later page.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";
import type { OrderRow } from "../orders-service.ts";

export const mustFail = ["pagination.deep-pages", "pagination.inserts-between-pages"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    async page(pg, userId, query) {
      const offset = query.cursor === undefined ? 0 : Number(Buffer.from(query.cursor, "base64url").toString());
      const result = await pg.query<OrderRow>(
        `SELECT id, user_id, status, created_at, created_at::text AS position, total_cents FROM shop.orders
         WHERE user_id = $1 ${query.status ? "AND status = $4" : "AND $4::text IS NULL"} ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
        [userId, query.limit + 1, offset, query.status ?? null],
      );
      const more = result.rows.length > query.limit;
      return { rows: result.rows.slice(0, query.limit), nextCursor: more ? Buffer.from(String(offset + query.limit)).toString("base64url") : null };
    },
  });
}
