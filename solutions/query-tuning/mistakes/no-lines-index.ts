/**
 * Mistake: no index on order_lines(order_id): every page and every ranking scans all order lines.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";
import { referenceIndexes } from "../migrations.ts";

export const mustFail = ["indexes.page-plans", "filters.status-plans", "aggregates.window-plan"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    indexes: referenceIndexes.filter((statement) => !statement.includes("order_lines")),
  });
}
