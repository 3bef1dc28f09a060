/**
 * Mistake: lets Postgres's unique violation (23505) through instead of EmailTakenError:
 * the caller cannot tell "pick another email" from a broken database.
 */
import type { Pool } from "pg";
import type { UsersApi } from "../../../challenges/zero-downtime-migration/src/index.ts";
export { createPlan } from "../plan.ts";
export { runStep } from "../run-step.ts";
export { backfill } from "../backfill.ts";
export { EmailTakenError, LockTimeoutError } from "../errors.ts";

export const mustFail = ["dual-versions.email-taken"];

function raw(pg: Pool, column: "name" | "full_name"): UsersApi {
  return {
    async create({ name, email }) {
      const { rows } = await pg.query(`INSERT INTO users (${column}, email) VALUES ($1, $2) RETURNING id::text AS id, ${column} AS name, email`, [name, email]);
      return rows[0];
    },
    async get(id) {
      const { rows } = await pg.query(`SELECT id::text AS id, ${column} AS name, email FROM users WHERE id = $1`, [id]);
      return rows[0] ?? null;
    },
    async rename(id, name) {
      await pg.query(`UPDATE users SET ${column} = $1 WHERE id = $2`, [name, id]);
    },
  };
}

export const createAppV1 = (pg: Pool) => raw(pg, "name");
export const createAppV2 = (pg: Pool) => raw(pg, "full_name");
