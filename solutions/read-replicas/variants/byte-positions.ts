/**
 * A correct variant built another way: positions are stored as byte counts (numeric) and
 * compared in JavaScript as BigInt; the replica reports its replay position in bytes with
 * every read; a read the primary serves raises the position in the same statement as
 * the data (a data-modifying WITH); the wait polls every 30 ms.
 */
import type { Pool } from "pg";
import type { Profile, ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";

type Row = { user_id: string; name: string; bio: string };

const bytesOf = "pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::numeric::text";
const pollMs = 30;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function within<T>(work: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([work, new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), Math.max(0, ms))))]).finally(() => clearTimeout(timer));
}

class ByteRouter implements ProfileService {
  constructor(
    private readonly primary: Pool,
    private readonly replica: Pool,
    private readonly maxReplicaWaitMs: number,
  ) {}

  async migrate(): Promise<void> {
    await this.primary.query("CREATE TABLE IF NOT EXISTS profile (id text PRIMARY KEY, name text NOT NULL, bio text NOT NULL)");
    await this.primary.query("CREATE TABLE IF NOT EXISTS seen_upto (viewer text PRIMARY KEY, wal_bytes numeric NOT NULL)");
  }

  private async remember(viewer: string): Promise<void> {
    await this.primary.query(
      `INSERT INTO seen_upto AS s (viewer, wal_bytes) VALUES ($1, ${bytesOf}::numeric)
       ON CONFLICT (viewer) DO UPDATE SET wal_bytes = GREATEST(s.wal_bytes, EXCLUDED.wal_bytes)`,
      [viewer],
    );
  }

  async updateProfile(userId: string, profile: { name: string; bio: string }): Promise<void> {
    await this.primary.query("INSERT INTO profile VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET name = $2, bio = $3", [userId, profile.name, profile.bio]);
    await this.remember(userId);
  }

  private async route(viewer: string, sql: string, params: unknown[]): Promise<Row[]> {
    const deadline = Date.now() + this.maxReplicaWaitMs;
    const seen = await this.primary.query<{ b: string }>("SELECT wal_bytes::text AS b FROM seen_upto WHERE viewer = $1", [viewer]);
    const needed = seen.rows[0] ? BigInt(seen.rows[0].b) : -1n;
    for (;;) {
      const attempt = this.replica
        .query<Row & { replayed: string | null }>(`SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::numeric::text AS replayed, d.* FROM (SELECT 1) one LEFT JOIN (${sql}) d ON true`, params)
        .catch(() => "failed" as const);
      const result = await within(attempt, deadline - Date.now());
      if (result === "failed" || result === "timeout") break;
      const replayed = result.rows[0]?.replayed;
      if (needed < 0n || (replayed != null && BigInt(replayed) >= needed)) return result.rows.filter((row) => row.user_id !== null);
      if (Date.now() + pollMs > deadline) {
        await sleep(Math.max(0, deadline - Date.now()));
        break;
      }
      await sleep(pollMs);
    }
    // The data and the position in one statement: the position is taken after the statement's snapshot, so it covers what the data shows.
    const viewerParam = `$${params.length + 1}`;
    const rows = await this.primary.query<Row>(
      `WITH seen AS (INSERT INTO seen_upto AS s (viewer, wal_bytes) VALUES (${viewerParam}, ${bytesOf}::numeric)
         ON CONFLICT (viewer) DO UPDATE SET wal_bytes = GREATEST(s.wal_bytes, EXCLUDED.wal_bytes))
       ${sql}`,
      [...params, viewer],
    );
    return rows.rows;
  }

  private static profile(row: Row): Profile {
    return { userId: row.user_id, name: row.name, bio: row.bio };
  }

  async getProfile(viewerId: string, userId: string): Promise<Profile | null> {
    const [row] = await this.route(viewerId, "SELECT id AS user_id, name, bio FROM profile WHERE id = $1", [userId]);
    return row ? ByteRouter.profile(row) : null;
  }

  async listProfiles(viewerId: string, query: { limit: number }): Promise<Profile[]> {
    const rows = await this.route(viewerId, 'SELECT id AS user_id, name, bio FROM profile ORDER BY id COLLATE "C" LIMIT $1', [query.limit]);
    return rows.map(ByteRouter.profile).sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  }
}

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return new ByteRouter(options.primary, options.replica, options.maxReplicaWaitMs);
}
