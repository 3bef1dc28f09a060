/**
 * A correct design without a trigger: the apps keep the columns in step themselves.
 * v1 (the transitional release) writes both columns and reads full_name, falling back to
 * name for rows nobody has backfilled yet; v2 writes and reads full_name only, so it never
 * mentions name and survives contract. name loses its NOT NULL in expand, because v2's
 * inserts leave it empty. The backfill claims rows that still need it by a subquery on
 * full_name IS NULL instead of walking the key.
 */
import type { Pool } from "pg";
import type { Plan, User, UsersApi } from "../../../challenges/zero-downtime-migration/src/index.ts";
import { EmailTakenError } from "../errors.ts";
import { planWith } from "../plan.ts";
export { runStep } from "../run-step.ts";
export { EmailTakenError, LockTimeoutError } from "../errors.ts";

export function createPlan(): Plan {
  return planWith({
    "sync-trigger": { name: "name-nullable", sql: "ALTER TABLE users ALTER COLUMN name DROP NOT NULL", transactional: true },
    "drop-name": { name: "drop-name", sql: "ALTER TABLE users DROP COLUMN IF EXISTS name", transactional: true },
  });
}

export async function backfill(pg: Pool, options: { batchSize: number }): Promise<void> {
  for (;;) {
    const { rowCount } = await pg.query(
      "UPDATE users SET full_name = name WHERE id IN (SELECT id FROM users WHERE full_name IS NULL ORDER BY id LIMIT $1) AND full_name IS NULL",
      [options.batchSize],
    );
    if (rowCount) continue;
    const left = await pg.query("SELECT 1 FROM users WHERE full_name IS NULL LIMIT 1");
    if (left.rowCount === 0) return;
  }
}

async function insert(pg: Pool, sql: string, values: unknown[], email: string): Promise<User> {
  try {
    return (await pg.query<User>(sql, values)).rows[0]!;
  } catch (error) {
    if ((error as { code?: string }).code === "23505") throw new EmailTakenError(email);
    throw error;
  }
}

export function createAppV1(pg: Pool): UsersApi {
  return {
    create: ({ name, email }) => insert(pg, "INSERT INTO users (name, full_name, email) VALUES ($1, $1, $2) RETURNING id::text AS id, name, email", [name, email], email),
    async get(id) {
      const { rows } = await pg.query<User>("SELECT id::text AS id, COALESCE(full_name, name) AS name, email FROM users WHERE id = $1", [id]);
      return rows[0] ?? null;
    },
    async rename(id, name) {
      await pg.query("UPDATE users SET name = $1, full_name = $1 WHERE id = $2", [name, id]);
    },
  };
}

export function createAppV2(pg: Pool): UsersApi {
  return {
    create: ({ name, email }) => insert(pg, "INSERT INTO users (full_name, email) VALUES ($1, $2) RETURNING id::text AS id, full_name AS name, email", [name, email], email),
    async get(id) {
      const { rows } = await pg.query<User>("SELECT id::text AS id, full_name AS name, email FROM users WHERE id = $1", [id]);
      return rows[0] ?? null;
    },
    async rename(id, name) {
      await pg.query("UPDATE users SET full_name = $1 WHERE id = $2", [name, id]);
    },
  };
}
