/**
 * Mistake: no index with status: a page of open orders walks the (user_id, created_at, id) index
 * and throws away 19 closed orders for every open one.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";
import { referenceIndexes } from "../migrations.ts";

export const mustFail = ["filters.rare-status-reads-little"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    indexes: referenceIndexes.filter((statement) => !statement.includes("status")),
  });
}
