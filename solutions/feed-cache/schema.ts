import type { Pool } from "pg";

/** users, follows and posts, with the indexes every query of the reference uses. */
export const schema = `
CREATE TABLE IF NOT EXISTS users (
  id             text PRIMARY KEY,
  follower_count integer NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS follows (
  follower_id text NOT NULL REFERENCES users (id),
  followee_id text NOT NULL REFERENCES users (id),
  PRIMARY KEY (follower_id, followee_id)
);
CREATE INDEX IF NOT EXISTS follows_by_followee ON follows (followee_id, follower_id);
CREATE TABLE IF NOT EXISTS posts (
  id         bigserial PRIMARY KEY,
  author_id  text NOT NULL REFERENCES users (id),
  body       text NOT NULL,
  created_at timestamptz NOT NULL,
  version    integer NOT NULL DEFAULT 1,
  deleted_at timestamptz
);
CREATE INDEX IF NOT EXISTS posts_by_author ON posts (author_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
`;

/** Creates the schema; an advisory lock keeps two instances booting at once from colliding inside CREATE TABLE. */
export async function migrate(pg: Pool, statements = schema): Promise<void> {
  const client = await pg.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(728103)");
    await client.query(statements);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
