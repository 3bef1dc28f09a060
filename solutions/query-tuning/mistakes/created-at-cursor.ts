/**
 * Mistake: the cursor holds only created_at, and the next page asks for created_at < cursor.
 * Orders sharing the last timestamp of a page are skipped.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";
import type { OrderRow } from "../orders-service.ts";

export const mustFail = ["pagination.shared-timestamps", "pagination.inserts-between-pages"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    async page(pg, userId, query) {
      const after = query.cursor === undefined ? null : Buffer.from(query.cursor, "base64url").toString();
      const values: unknown[] = [userId, query.limit + 1];
      const where = ["user_id = $1"];
      if (query.status) where.push(`status = $${values.push(query.status)}`);
      if (after) where.push(`created_at < $${values.push(after)}::timestamptz`);
      const result = await pg.query<OrderRow>(
        `SELECT id, user_id, status, created_at, created_at::text AS position, total_cents FROM shop.orders
         WHERE ${where.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT $2`,
        values,
      );
      const rows = result.rows.slice(0, query.limit);
      return { rows, nextCursor: result.rows.length > query.limit ? Buffer.from(rows.at(-1)!.position).toString("base64url") : null };
    },
  });
}
