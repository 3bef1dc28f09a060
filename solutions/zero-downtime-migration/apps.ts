import type { Pool } from "pg";
import type { User, UsersApi } from "../../challenges/zero-downtime-migration/src/index.ts";
import { EmailTakenError } from "./errors.ts";

const uniqueViolation = "23505";

/** An app version that reads and writes one name column (the trigger keeps the other in step). */
export function createApp(pg: Pool, column: "name" | "full_name"): UsersApi {
  return {
    async create({ name, email }) {
      try {
        const { rows } = await pg.query<User>(`INSERT INTO users (${column}, email) VALUES ($1, $2) RETURNING id::text AS id, ${column} AS name, email`, [name, email]);
        return rows[0]!;
      } catch (error) {
        if ((error as { code?: string }).code === uniqueViolation) throw new EmailTakenError(email);
        throw error;
      }
    },
    async get(id) {
      const { rows } = await pg.query<User>(`SELECT id::text AS id, ${column} AS name, email FROM users WHERE id = $1`, [id]);
      return rows[0] ?? null;
    },
    async rename(id, name) {
      await pg.query(`UPDATE users SET ${column} = $1 WHERE id = $2`, [name, id]);
    },
  };
}

/** The current app: reads and writes `name`. */
export function createAppV1(pg: Pool): UsersApi {
  return createApp(pg, "name");
}

/** The new app: reads and writes `full_name`; never mentions `name`, so it survives contract. */
export function createAppV2(pg: Pool): UsersApi {
  return createApp(pg, "full_name");
}
