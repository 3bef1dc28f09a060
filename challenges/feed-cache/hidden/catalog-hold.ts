/**
 * Shared by the hidden files (not a test file): forces the race of several `migrate()`
 * calls without knowing their SQL. A transaction of the test's own holds `pg_class` in
 * SHARE mode, so every CREATE TABLE or CREATE INDEX in the database waits just after it
 * checked IF NOT EXISTS and before it writes the catalog; a migrate() that serializes
 * first (an advisory lock, a lock table) waits on that instead. When every call waits,
 * `release()` lets them all go at once.
 */
import type { PoolClient } from "pg";
import type { GradedContext, InstrumentedPool } from "../../../harness/testing/index.ts";

export interface CatalogHold {
  /** Waits (bounded) until `sessions` client sessions of the database wait on a lock; false if they never did. */
  untilWaiting(sessions: number, timeoutMs: number): Promise<boolean>;
  /** Ends the hold; every waiting DDL proceeds. Safe to call twice. */
  release(): Promise<void>;
}

/** Starts the hold, or returns why it cannot (locking a system catalog needs a superuser). */
export async function holdCatalogWrites(t: GradedContext, pool: InstrumentedPool): Promise<CatalogHold | { unsupported: string }> {
  const superuser = await pool.query<{ yes: boolean }>("SELECT rolsuper AS yes FROM pg_roles WHERE rolname = current_user");
  if (!superuser.rows[0]?.yes) return { unsupported: "forcing concurrent migrations needs a Postgres superuser (it locks pg_class); DATABASE_URL's user is not one" };
  const holder: PoolClient = await pool.connect();
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    try {
      await holder.query("COMMIT");
    } finally {
      holder.release();
    }
  };
  t.vitest.onTestFinished(release);
  await holder.query("BEGIN");
  await holder.query("LOCK TABLE pg_catalog.pg_class IN SHARE MODE");
  const holderPid = (await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
  return {
    async untilWaiting(sessions, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        // A query of its own (not the holder's transaction, whose view of pg_stat_activity is a snapshot).
        const waiting = await pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND wait_event_type = 'Lock' AND pid <> $1",
          [holderPid],
        );
        if (waiting.rows[0]!.n >= sessions) return true;
        if (performance.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    release,
  };
}
