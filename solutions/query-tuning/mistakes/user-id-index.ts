/**
 * Mistake: an index on orders(user_id) alone. It finds the user's orders, but not in page order:
 * Postgres reads and sorts all 3,000 of them for every page.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";
import { referenceIndexes } from "../migrations.ts";

export const mustFail = ["indexes.page-plans", "hygiene.indexes"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    indexes: [...referenceIndexes.filter((statement) => !statement.includes("(user_id, created_at, id)")), "CREATE INDEX IF NOT EXISTS orders_user_idx ON shop.orders (user_id)"],
  });
}
