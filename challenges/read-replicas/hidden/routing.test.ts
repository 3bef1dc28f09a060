import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { instances, maxReplicaWaitMs, profile, sceneTimeoutMs, timed } from "./implementation.ts";

graded("routing.basics", { points: 2, timeoutMs: sceneTimeoutMs, hint: "Write on the primary, read on the replica; a missing profile is null; listProfiles orders by userId and stops at limit." }, async (t) => {
  const { all, replication } = await instances(t, 2);
  const [a, b] = all;
  await b!.service.migrate(); // a second instance migrates the same schema again
  await a!.service.updateProfile("alice", { name: "ALICE", bio: "v1" });
  expect(await a!.service.getProfile("alice", "alice"), "alice reads her profile after writing it").toEqual(profile("alice", "v1"));
  expect(await a!.service.getProfile("alice", "nobody"), "a profile nobody wrote").toBeNull();
  await a!.service.updateProfile("carol", { name: "CAROL", bio: "v1" });
  await a!.service.updateProfile("bob", { name: "BOB", bio: "v1" });
  await a!.service.updateProfile("alice", { name: "ALICE", bio: "v2" });
  await replication.caughtUp();
  expect(await b!.service.getProfile("dave", "alice"), "another viewer, replica caught up").toEqual(profile("alice", "v2"));
  expect(await b!.service.listProfiles("dave", { limit: 2 }), "listProfiles limit 2").toEqual([profile("alice", "v2"), profile("bob", "v1")]);
  expect(await a!.service.listProfiles("alice", { limit: 10 }), "listProfiles limit 10").toEqual([profile("alice", "v2"), profile("bob", "v1"), profile("carol", "v1")]);
});

graded(
  "routing.stale-for-others",
  { points: 3, timeoutMs: sceneTimeoutMs, hint: "A viewer with nothing pending reads the replica at once, even while it lags: that is the offload. Only the writer's own reads must wait for their write." },
  async (t) => {
    const { first, replication } = await instances(t);
    await first.service.updateProfile("ursula", { name: "URSULA", bio: "v1" });
    await replication.caughtUp();
    await replication.pauseReplay();
    await first.service.updateProfile("ursula", { name: "URSULA", bio: "v2" });
    const read = await timed(() => first.service.getProfile("walter", "ursula"));
    expect(read.value, "walter (nothing pending) reads ursula while replay is paused: the replica's copy").toEqual(profile("ursula", "v1"));
    expect(Math.round(read.ms), `ms: served at once, without waiting (limit ${maxReplicaWaitMs / 2})`).toBeLessThan(maxReplicaWaitMs / 2);
    expect(await first.service.listProfiles("walter", { limit: 5 }), "walter's list comes from the replica too").toEqual([profile("ursula", "v1")]);
  },
);

const lsn = (text: string) => {
  const [high = "0", low = "0"] = text.split("/");
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
};

graded(
  "routing.lsn-order",
  { points: 3, timeoutMs: 20_000, hint: "LSNs are two hex numbers: as strings, \"0/F000028\" > \"0/10000028\". Compare them as pg_lsn in SQL (or as 64-bit numbers)." },
  async (t) => {
    const { first, replication } = await instances(t);
    const admin = replication.primary();
    // String order and LSN order disagree just below <n>/10000000, where the low half gains a digit. Each
    // switch ends the current 16 MB segment; a grade's WAL starts near 0/1500000, but a regrade on servers
    // kept up starts past 0/10000000 and must go round to the next <n>/10000000: 256 switches, each streaming a
    // whole segment to the replica, 3 to 5 s.
    const segment = 0x1000000n;
    const start = lsn((await replication.positions()).primary);
    let boundary = start - (start % (1n << 32n)) + 0x10000000n;
    if (start >= boundary) boundary += 1n << 32n;
    const text = (at: bigint) => `${(at >> 32n).toString(16).toUpperCase()}/${(at & 0xffffffffn).toString(16).toUpperCase()}`;
    // One round trip. Each switch is its own transaction (a switch with no WAL written since the last one does
    // nothing), and the primary waits while the replica has not received the last 4 segments, so it never
    // recycles one the replica still needs.
    const switchUntil = (target: bigint) =>
      admin.query(`DO $$ BEGIN
        WHILE pg_current_wal_lsn() < '${text(target)}' LOOP
          PERFORM txid_current();
          COMMIT;
          PERFORM pg_switch_wal();
          WHILE (SELECT coalesce(max(write_lsn), '0/0') FROM pg_stat_replication) + ${4n * segment} < pg_current_wal_lsn() LOOP
            PERFORM pg_sleep(0.002);
          END LOOP;
        END LOOP;
      END $$`);
    await first.service.updateProfile("alice", { name: "ALICE", bio: "v1" });
    await switchUntil(boundary - segment);
    await replication.caughtUp();
    const before = await replication.positions();
    if (lsn(before.replica!) >= boundary) throw new Error(`the replica is already at ${before.replica}; this scenario needs it just below ${(boundary >> 32n).toString(16).toUpperCase()}/10000000`);
    await replication.pauseReplay();
    await switchUntil(boundary);
    await first.service.updateProfile("alice", { name: "ALICE", bio: "v2" });
    const after = await replication.positions();
    expect(await first.service.getProfile("alice", "alice"), `alice's read: her write is at ${after.primary}, the paused replica at ${before.replica}`).toEqual(profile("alice", "v2"));
  },
);
