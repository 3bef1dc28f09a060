/**
 * Mistake: no index on order_lines(order_id): every page and every ranking scans all order lines.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";
import { referenceIndexes } from "../migrations.ts";

export const mustFail = ["indexes.page-plans", "filters.status-plans", "aggregates.window-plan"];
// Without the index, how each page's join reads order_lines is up to the planner, and its plan for the deep page can
// differ from the first page's; the deep page then reads more than twice as much (seen in a loaded self-test, 2026-12-06).
export const mayFail = ["pagination.deep-pages"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    indexes: referenceIndexes.filter((statement) => !statement.includes("order_lines")),
  });
}
