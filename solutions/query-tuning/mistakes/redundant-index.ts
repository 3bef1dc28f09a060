/**
 * Mistake: orders(user_id) next to orders(user_id, created_at, id): every lookup the short one
 * serves, the long one serves too, and every write pays for both.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";
import { referenceIndexes } from "../migrations.ts";

export const mustFail = ["hygiene.indexes"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    indexes: [...referenceIndexes, "CREATE INDEX IF NOT EXISTS orders_user_idx ON shop.orders (user_id)"],
  });
}
