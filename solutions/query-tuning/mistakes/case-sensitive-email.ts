/**
 * Mistake: email = $1 with an index on email: fast, but GRACE@... does not find Grace@...
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";
import { referenceIndexes } from "../migrations.ts";

export const mustFail = ["correctness.find-user-by-email"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    indexes: [...referenceIndexes.filter((statement) => !statement.includes("lower(email)")), "CREATE INDEX IF NOT EXISTS users_email_idx ON shop.users (email)"],
    async findUserByEmail(pg, email) {
      const result = await pg.query("SELECT id, email, name FROM shop.users WHERE email = $1 ORDER BY id LIMIT 1", [email]);
      return result.rows[0] ?? null;
    },
  });
}
