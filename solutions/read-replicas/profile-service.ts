import type { Pool } from "pg";
import type { Profile, ProfileService, ProfileServiceOptions } from "../../challenges/read-replicas/src/index.ts";
import { createPositionStore, type PositionStore } from "./positions.ts";

/**
 * The reference's choices, as data, so that each file in mistakes/ is the reference
 * with one of them changed.
 */
export interface RoutingPolicy {
  /** Where viewers' positions live: a table on the primary (shared by every instance) or this instance's memory. */
  positions: "primary" | "memory";
  /** Whose position a read waits for: the viewer's own, or the newest write of anyone. */
  scope: "viewer" | "global";
  /** How "replica caught up" is decided: as pg_lsn in SQL, or the LSN strings compared in JavaScript. */
  compare: "pg_lsn" | "string";
  /** When a read gives up on a lagging replica, from the read's start. */
  giveUpAfterMs(maxReplicaWaitMs: number): number;
  /** Pause between two checks of a lagging replica; undefined: check once, then wait out the deadline. */
  pollMs: number | undefined;
  /** What a failed replica query means: go to the primary now, or keep trying until the deadline. */
  onReplicaError: "primary" | "retry";
  /** Abandon a replica query that does not answer by the deadline. */
  timeoutReplica: boolean;
  /** Raise the viewer's position after a read the primary served (monotonic reads). */
  raiseAfterPrimaryRead: boolean;
  /** Also raise the position after every replica read (a write per read). */
  raiseAfterEveryRead: boolean;
  /** Ask the replica for its position and the data in one query, or two. */
  replicaQueries: 1 | 2;
  /** Pin a writer to the primary for this long after a write, instead of comparing positions. */
  stickyAfterWriteMs: number | undefined;
  /** Skip the replica for this long after it failed once (a circuit breaker). */
  skipReplicaAfterErrorMs: number | undefined;
}

export const referencePolicy: RoutingPolicy = {
  positions: "primary",
  scope: "viewer",
  compare: "pg_lsn",
  giveUpAfterMs: (maxReplicaWaitMs) => maxReplicaWaitMs,
  pollMs: 20,
  onReplicaError: "primary",
  timeoutReplica: true,
  raiseAfterPrimaryRead: true,
  raiseAfterEveryRead: false,
  replicaQueries: 1,
  stickyAfterWriteMs: undefined,
  skipReplicaAfterErrorMs: undefined,
};

interface ProfileRow {
  user_id: string | null;
  name: string | null;
  bio: string | null;
}

/** One read: a SELECT of `profileColumns` over `profiles p`, with its parameters as $1, $2, ... */
interface ReadQuery {
  from: string;
  params: unknown[];
}

const profileColumns = "p.user_id, p.name, p.bio";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function toProfiles(rows: ProfileRow[]): Profile[] {
  return rows
    .filter((row) => row.user_id !== null)
    .map((row) => ({ userId: row.user_id!, name: row.name!, bio: row.bio! }))
    .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

/** Compares two LSNs as their strings: the flaw of one mistake ("0/9000000" > "0/10000000"), kept here so the mistake stays one line. */
function stringAtLeast(replayed: string | null, position: string): boolean {
  return replayed !== null && replayed >= position;
}

type ReplicaOutcome = { rows: ProfileRow[]; replayed: string | null } | "behind" | "unavailable";

export function createPolicyProfileService(options: ProfileServiceOptions, policy: RoutingPolicy): ProfileService {
  const { primary, replica, maxReplicaWaitMs } = options;
  const positions: PositionStore = createPositionStore(primary, policy.positions);
  const stickyUntil = new Map<string, number>();
  let replicaSkippedUntil = 0;
  const scoped = (viewerId: string) => (policy.scope === "global" ? "*" : viewerId);

  /** Runs a replica query, giving up on it at `deadline`: a replica that hangs must not hang the read. */
  async function onReplica<T>(run: (pool: Pool) => Promise<T>, deadline: number): Promise<T | "unavailable"> {
    const attempt = run(replica).catch(() => "unavailable" as const);
    if (!policy.timeoutReplica) return attempt;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"unavailable">((resolve) => (timer = setTimeout(() => resolve("unavailable"), Math.max(0, deadline - performance.now()))));
    try {
      return await Promise.race([attempt, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The replica's rows if it has replayed `position` (or there is none); "behind" if not yet. */
  function replicaRead(query: ReadQuery, position: string | null, deadline: number): Promise<ReplicaOutcome> {
    return onReplica(async (pool) => {
      if (policy.replicaQueries === 2) {
        const check = await pool.query<{ ok: boolean; replayed: string | null }>(
          "SELECT (pg_last_wal_replay_lsn() >= $1::pg_lsn) IS NOT FALSE AS ok, pg_last_wal_replay_lsn()::text AS replayed",
          [position],
        );
        if (!check.rows[0]!.ok) return "behind" as const;
        return { rows: (await pool.query<ProfileRow>(`SELECT ${profileColumns} ${query.from}`, query.params)).rows, replayed: check.rows[0]!.replayed };
      }
      // One query: how far the replica has replayed, whether that covers the viewer, and the data (padded to one row when there is none).
      const at = `$${query.params.length + 1}`;
      const result = await pool.query<ProfileRow & { caught_up: boolean; replayed: string | null }>(
        `SELECT c.caught_up, c.replayed, d.* FROM
           (SELECT (pg_last_wal_replay_lsn() >= ${at}::pg_lsn) IS NOT FALSE AS caught_up, pg_last_wal_replay_lsn()::text AS replayed) c
           LEFT JOIN LATERAL (SELECT ${profileColumns} ${query.from}) d ON true`,
        [...query.params, position],
      );
      const first = result.rows[0]!;
      const caughtUp = policy.compare === "pg_lsn" ? first.caught_up : position === null || stringAtLeast(first.replayed, position);
      if (!caughtUp) return "behind" as const;
      return { rows: result.rows, replayed: first.replayed };
    }, deadline);
  }

  async function primaryRead(viewerId: string, query: ReadQuery): Promise<ProfileRow[]> {
    const select = `SELECT ${profileColumns} ${query.from}`;
    if (!policy.raiseAfterPrimaryRead) return (await primary.query<ProfileRow>(select, query.params)).rows;
    return positions.readAndRaise<ProfileRow>(scoped(viewerId), select, query.params);
  }

  async function read(viewerId: string, query: ReadQuery): Promise<Profile[]> {
    const started = performance.now();
    const deadline = started + policy.giveUpAfterMs(maxReplicaWaitMs);
    if (policy.stickyAfterWriteMs !== undefined && (stickyUntil.get(viewerId) ?? 0) > started) return toProfiles(await primaryRead(viewerId, query));
    if (started < replicaSkippedUntil) return toProfiles(await primaryRead(viewerId, query));
    const position = await positions.get(scoped(viewerId));
    for (;;) {
      const outcome = await replicaRead(query, position, deadline);
      if (typeof outcome === "object") {
        if (policy.raiseAfterEveryRead && outcome.replayed) await positions.raiseTo(scoped(viewerId), outcome.replayed);
        return toProfiles(outcome.rows);
      }
      if (outcome === "unavailable") {
        if (policy.skipReplicaAfterErrorMs !== undefined) replicaSkippedUntil = performance.now() + policy.skipReplicaAfterErrorMs;
        if (policy.onReplicaError === "primary") break;
      }
      const left = deadline - performance.now();
      if (left <= 0) break;
      if (policy.pollMs === undefined) {
        // Checked once: wait out the deadline without looking again.
        await sleep(left);
        break;
      }
      await sleep(Math.min(policy.pollMs, left));
    }
    return toProfiles(await primaryRead(viewerId, query));
  }

  return {
    async migrate() {
      await primary.query(
        `CREATE TABLE IF NOT EXISTS profiles (user_id text PRIMARY KEY, name text NOT NULL, bio text NOT NULL);
         CREATE TABLE IF NOT EXISTS read_positions (viewer_id text PRIMARY KEY, lsn pg_lsn NOT NULL)`,
      );
    },

    async updateProfile(userId, profile) {
      await primary.query(
        `INSERT INTO profiles (user_id, name, bio) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET name = EXCLUDED.name, bio = EXCLUDED.bio`,
        [userId, profile.name, profile.bio],
      );
      // A second statement, after the commit: its WAL position is past the write's commit record.
      await positions.raiseToPrimary(scoped(userId));
      if (policy.stickyAfterWriteMs !== undefined) stickyUntil.set(userId, performance.now() + policy.stickyAfterWriteMs);
    },

    async getProfile(viewerId, userId) {
      const [profile] = await read(viewerId, { from: "FROM profiles p WHERE p.user_id = $1", params: [userId] });
      return profile ?? null;
    },

    async listProfiles(viewerId, { limit }) {
      return read(viewerId, { from: `FROM profiles p ORDER BY p.user_id COLLATE "C" LIMIT $1`, params: [limit] });
    },
  };
}
