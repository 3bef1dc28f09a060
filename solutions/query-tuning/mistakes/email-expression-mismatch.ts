/**
 * Mistake: the index is on lower(email) but the query compares upper(email). The answers are
 * right, but the index does not match the expression, so every lookup scans all users.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";

export const mustFail = ["indexes.email-lookup"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    async findUserByEmail(pg, email) {
      const result = await pg.query("SELECT id, email, name FROM shop.users WHERE upper(email) = upper($1) ORDER BY id LIMIT 1", [email]);
      return result.rows[0] ?? null;
    },
  });
}
