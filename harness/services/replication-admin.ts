import type pg from "pg";
import type { PostgresConnection } from "./postgres-admin.ts";
import { waitFor } from "./wait-for.ts";

/** Where WAL stands on each side of a primary/replica pair, as Postgres prints LSNs (`0/1A2B3C8`). */
export interface ReplicationPositions {
  /** `pg_current_wal_lsn()` on the primary: the end of what it has written. */
  primary: string;
  /** `pg_last_wal_replay_lsn()` on the replica: what its readers can see; null before it replayed anything. */
  replica: string | null;
}

async function withClient<T>(connection: PostgresConnection, use: (client: pg.Client) => Promise<T>): Promise<T> {
  // Loaded on first use: the CLI and the kit load this file for every challenge, most of which never replicate.
  const { default: driver } = await import("pg");
  const client = new driver.Client({ ...connection, connectionTimeoutMillis: 3000 });
  client.on("error", () => {});
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Both positions, read the primary's first (so "replica ≥ primary" means it had caught up with at least that). */
export async function replicationPositions(primary: PostgresConnection, replica: PostgresConnection): Promise<ReplicationPositions> {
  const written = await withClient(primary, async (client) => (await client.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn")).rows[0]!.lsn);
  const replayed = await withClient(replica, async (client) => (await client.query<{ lsn: string | null }>("SELECT pg_last_wal_replay_lsn()::text AS lsn")).rows[0]!.lsn);
  return { primary: written, replica: replayed };
}

/** Waits until the replica has replayed everything the primary had written when it was called. */
export async function waitForReplay(primary: PostgresConnection, replica: PostgresConnection, timeoutMs = 10_000): Promise<void> {
  const target = await withClient(primary, async (client) => (await client.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn")).rows[0]!.lsn);
  await withClient(replica, (client) =>
    waitFor(
      async () => (await client.query<{ done: boolean }>("SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS done", [target])).rows[0]!.done,
      { timeoutMs, intervalMs: 5, what: `replica replay up to ${target}` },
    ),
  );
}

/**
 * Pauses WAL replay on the replica and waits until it has stopped: from then on, its
 * readers see a frozen snapshot while it keeps receiving WAL. Needs a superuser (or a
 * role granted pg_wal_replay_pause).
 */
export async function pauseReplay(replica: PostgresConnection): Promise<void> {
  await withClient(replica, async (client) => {
    await client.query("SELECT pg_wal_replay_pause()");
    await waitFor(
      async () => (await client.query<{ state: string }>("SELECT pg_get_wal_replay_pause_state() AS state")).rows[0]!.state === "paused",
      { timeoutMs: 5000, intervalMs: 5, what: "replay pause" },
    );
  });
}

/** Resumes WAL replay (a no-op when it is not paused). */
export async function resumeReplay(replica: PostgresConnection): Promise<void> {
  await withClient(replica, (client) => client.query("SELECT pg_wal_replay_resume()"));
}

/** Whether replay is paused, or a pause was requested and has not taken effect yet. */
export async function replayPaused(replica: PostgresConnection): Promise<boolean> {
  return withClient(replica, async (client) => (await client.query<{ state: string }>("SELECT pg_get_wal_replay_pause_state() AS state")).rows[0]!.state !== "not paused");
}
