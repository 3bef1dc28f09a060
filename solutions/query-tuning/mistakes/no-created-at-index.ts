/**
 * Mistake: no index on orders(created_at): the ranking of the last three hours scans every order.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";
import { referenceIndexes } from "../migrations.ts";

export const mustFail = ["aggregates.window-plan"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    indexes: referenceIndexes.filter((statement) => !statement.includes("(created_at)")),
  });
}
