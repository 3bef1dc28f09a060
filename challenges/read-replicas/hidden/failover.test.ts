import { expect } from "vitest";
import { graded, withoutUnhandledRejections } from "../../../harness/testing/index.ts";
import { maxReplicaWaitMs, profile, sceneTimeoutMs, timed } from "./implementation.ts";
import { replicaHasReplayed } from "./replayed-write.ts";

const lateMs = 250;
const refusedMs = 300;

graded(
  "failover.replica-stopped",
  { points: 4, timeoutMs: 5000, hint: "A replica query that fails (connection refused) means: read the primary now, without an error and without waiting out maxReplicaWaitMs." },
  async (t) => {
    const { first, replication } = await replicaHasReplayed(t, "ursula");
    await replication.replicaFaults().stop();
    await withoutUnhandledRejections(async () => {
      await first.service.updateProfile("ursula", { name: "URSULA", bio: "v2" });
      const own = await timed(() => first.service.getProfile("ursula", "ursula"));
      expect(own.value, "ursula reads her write while the replica is stopped").toEqual(profile("ursula", "v2"));
      expect(Math.round(own.ms), `ms: the primary at once (limit ${refusedMs})`).toBeLessThan(refusedMs);
      const other = await timed(() => first.service.getProfile("walter", "ursula"));
      expect(other.value, "walter (nothing pending) reads ursula while the replica is stopped").toEqual(profile("ursula", "v2"));
      expect(Math.round(other.ms), `ms: the primary at once (limit ${refusedMs})`).toBeLessThan(refusedMs);
      expect(await first.service.listProfiles("walter", { limit: 5 }), "walter's list while the replica is stopped").toEqual([profile("ursula", "v2")]);
    });
  },
);

graded(
  "failover.replica-hangs",
  { points: 4, timeoutMs: sceneTimeoutMs, hint: "A replica that accepts the connection and never answers must not hang the read: race the replica query against the time left until maxReplicaWaitMs, then read the primary." },
  async (t) => {
    const { first, replication } = await replicaHasReplayed(t, "ursula");
    await replication.replicaFaults().pause();
    await withoutUnhandledRejections(async () => {
      const read = await timed(() => first.service.getProfile("walter", "ursula"));
      expect(read.value, "walter's read while the replica hangs").toEqual(profile("ursula", "v1"));
      expect(Math.round(read.ms), `ms until the read returned: at most maxReplicaWaitMs + ${lateMs}`).toBeLessThanOrEqual(maxReplicaWaitMs + lateMs);
    }, "while the replica hung");
  },
);

graded(
  "failover.back-to-replica",
  { points: 3, timeoutMs: 5000, hint: "Try the replica on every read (no circuit breaker): as soon as it is back and has caught up with the viewer, it serves them again." },
  async (t) => {
    const { first, replication } = await replicaHasReplayed(t, "ursula");
    const replica = replication.replicaFaults();
    await replica.stop();
    expect(await first.service.getProfile("walter", "ursula"), "walter's read while the replica is stopped").toEqual(profile("ursula", "v1"));
    await replica.start();
    await replication.caughtUp();
    await replication.pauseReplay();
    await first.service.updateProfile("ursula", { name: "URSULA", bio: "v2" });
    const read = await timed(() => first.service.getProfile("walter", "ursula"));
    expect(read.value, "walter's read once the replica is back (replay paused before ursula's v2): the replica's copy").toEqual(profile("ursula", "v1"));
    expect(Math.round(read.ms), `ms: served at once (limit ${maxReplicaWaitMs / 2})`).toBeLessThan(maxReplicaWaitMs / 2);
  },
);
