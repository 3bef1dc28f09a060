/**
 * Reference solution: keyset pages over (user_id, created_at, id), the page's lines in
 * one ANY($1) query, an expression index for the email lookup, and five indexes in all.
 * See NOTES.md.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "./orders-service.ts";

export type { ListQuery, Order, OrderLine, OrderPage, OrdersService, ProductUnits, User } from "../../challenges/query-tuning/src/index.ts";

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, referencePolicy);
}
