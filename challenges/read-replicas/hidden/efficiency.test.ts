import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { instances, maxReplicaWaitMs, profile, sceneTimeoutMs } from "./implementation.ts";
import { replicaHasReplayed, replicaLagsBehind } from "./replayed-write.ts";

graded("efficiency.write", { points: 2, timeoutMs: sceneTimeoutMs, hint: "One upsert, then one statement that records the writer's position: two primary queries, none on the replica." }, async (t) => {
  const { first } = await instances(t);
  await first.service.updateProfile("alice", { name: "ALICE", bio: "v1" });
  first.primary.traffic.reset();
  first.replica.traffic.reset();
  await first.service.updateProfile("alice", { name: "ALICE", bio: "v2" });
  expect(first.primary.traffic.queries, "primary queries for one updateProfile").toBeLessThanOrEqual(2);
  expect(first.replica.traffic.queries, "replica queries for one updateProfile").toBe(0);
});

graded(
  "efficiency.read",
  { points: 3, timeoutMs: sceneTimeoutMs, hint: "Look up the viewer's position on the primary (one query), then ask the replica for its replay position and the data in one query." },
  async (t) => {
    const { first } = await replicaHasReplayed(t, "alice", { alsoReplayed: ["bob"] });
    const reads: [string, () => Promise<unknown>, unknown][] = [
      ["getProfile by a viewer with nothing pending", () => first.service.getProfile("walter", "alice"), profile("alice", "v1")],
      ["getProfile by the writer, replica caught up", () => first.service.getProfile("alice", "alice"), profile("alice", "v1")],
      ["listProfiles", () => first.service.listProfiles("alice", { limit: 5 }), [profile("alice", "v1"), profile("bob", "v1")]],
    ];
    for (const [what, read, expected] of reads) {
      first.primary.traffic.reset();
      first.replica.traffic.reset();
      expect(await read(), what).toEqual(expected);
      expect(first.primary.traffic.queries, `primary queries for ${what}`).toBeLessThanOrEqual(1);
      expect(first.replica.traffic.queries, `replica queries for ${what}`).toBeLessThanOrEqual(1);
    }
  },
);

graded(
  "efficiency.waiting",
  { points: 2, timeoutMs: 4000, hint: "While waiting for the replica, pause 10-50 ms between checks instead of querying in a tight loop; the primary read at the end is one query." },
  async (t) => {
    const { first } = await replicaLagsBehind(t, "alice");
    first.primary.traffic.reset();
    first.replica.traffic.reset();
    expect(await first.service.getProfile("alice", "alice")).toEqual(profile("alice", "v2"));
    const budget = Math.floor(maxReplicaWaitMs / 10) + 1;
    expect(first.replica.traffic.queries, `replica queries while waiting ${maxReplicaWaitMs} ms (at most one per 10 ms)`).toBeLessThanOrEqual(budget);
    expect(first.primary.traffic.queries, "primary queries for a read the primary served (position lookup, then the read)").toBeLessThanOrEqual(2);
  },
);
