/**
 * Mistake: email ILIKE $1 for a case-insensitive match. A btree on lower(email) cannot serve it,
 * and % or _ in the input match other users.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";

export const mustFail = ["correctness.find-user-by-email", "indexes.email-lookup"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    async findUserByEmail(pg, email) {
      const result = await pg.query("SELECT id, email, name FROM shop.users WHERE email ILIKE $1 ORDER BY id LIMIT 1", [email]);
      return result.rows[0] ?? null;
    },
  });
}
