import type pg from "pg";
import { callsPerSecond } from "../../testing/concurrency.ts";
import type { ThroughputBench } from "./throughput-bench.ts";

const total = 4000;
const concurrency = 16;
const users = 200;

/**
 * getProfile() by viewers the replica has caught up with (half of them wrote, half never
 * did; half the profiles asked for exist) against the bare minimum for the same guarantee:
 * the viewer's position by primary key on the primary, then the profile by primary key on
 * the replica with its replay position checked in the same query. That query answers one
 * row even for a user with no profile, since "no such user" must be told apart from
 * "replica behind" in one round trip, and it is abandoned at a deadline, since a replica
 * that does not answer must not hang a read (rules 2, 9 and 11 of the spec).
 */
export const readReplicasBench: ThroughputBench = {
  challenge: "read-replicas",
  services: ["replicated-postgres"],
  unit: "reads/s",
  referenceName: "getProfile() (replica caught up; 200 users, half with a position)",
  limitName: "position by PK on the primary + profile by PK (one row even if absent) with replay check on the replica, under a deadline",
  concurrency,
  async reference({ primary, replica }) {
    const { createProfileService } = await import("../../../solutions/read-replicas/index.ts");
    const service = createProfileService({ primary: primary!, replica: replica!, maxReplicaWaitMs: 1000 });
    await service.migrate();
    for (let i = 0; i < users; i += 2) await service.updateProfile(`user-${i}`, { name: `User ${i}`, bio: "bench" });
    await waitForReplica(primary!, replica!);
    const read = (i: number) => service.getProfile(`user-${i % users}`, `user-${(i * 7) % users}`);
    await callsPerSecond(200, concurrency, read);
    return callsPerSecond(total, concurrency, read);
  },
  async limit({ primary, replica }) {
    await primary!.query(`CREATE TABLE IF NOT EXISTS bench_positions (viewer_id text PRIMARY KEY, lsn pg_lsn NOT NULL);
      CREATE TABLE IF NOT EXISTS bench_profiles (user_id text PRIMARY KEY, name text NOT NULL, bio text NOT NULL)`);
    for (let i = 0; i < users; i += 2) {
      await primary!.query("INSERT INTO bench_profiles VALUES ($1, $2, 'bench') ON CONFLICT DO NOTHING", [`user-${i}`, `User ${i}`]);
      await primary!.query("INSERT INTO bench_positions VALUES ($1, pg_current_wal_insert_lsn()) ON CONFLICT DO NOTHING", [`user-${i}`]);
    }
    await waitForReplica(primary!, replica!);
    const read = async (i: number) => {
      const position = (await primary!.query<{ lsn: string }>("SELECT lsn::text AS lsn FROM bench_positions WHERE viewer_id = $1", [`user-${i % users}`])).rows[0]?.lsn ?? null;
      const answer = replica!.query<{ ok: boolean }>(
        "SELECT (pg_last_wal_replay_lsn() >= $2::pg_lsn) IS NOT FALSE AS ok, p.* FROM (SELECT) c LEFT JOIN bench_profiles p ON p.user_id = $1",
        [`user-${(i * 7) % users}`, position],
      );
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), 1000)));
      const result = await Promise.race([answer, deadline]).finally(() => clearTimeout(timer));
      if (result === "late" || !result.rows[0]!.ok) throw new Error("the replica fell behind during the benchmark");
    };
    await callsPerSecond(200, concurrency, read);
    return callsPerSecond(total, concurrency, read);
  },
};

/** Until the replica has replayed everything written so far, so both sides read from the replica. */
async function waitForReplica(primary: pg.Pool, replica: pg.Pool): Promise<void> {
  const target = (await primary.query<{ lsn: string }>("SELECT pg_current_wal_insert_lsn()::text AS lsn")).rows[0]!.lsn;
  for (;;) {
    const done = (await replica.query<{ done: boolean }>("SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS done", [target])).rows[0]!.done;
    if (done) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
