import type { GradedContext, InstrumentedPool, ReplicationContext } from "../../../harness/testing/index.ts";
import type { ProfileService } from "../src/index.ts";

/** The interface every implementation under test exports (the stub's). */
export type ReplicasModule = typeof import("../src/index.ts");

/** What every test passes as maxReplicaWaitMs (the README states it). */
export const maxReplicaWaitMs = 600;

/**
 * The limit of a test that sets a replication scene (instances, a write, replay caught up or
 * paused): a few hundred ms on a quiet machine, over 3 s with two grades running alongside.
 * Only a hang reaches it; the reads are timed by the tests themselves.
 */
export const sceneTimeoutMs = 6000;

export interface Instance {
  service: ProfileService;
  primary: InstrumentedPool;
  replica: InstrumentedPool;
}

/**
 * `count` service instances, each with pools of its own (as separate servers would have),
 * migrated once; returns after the replica has replayed the migration.
 */
export async function instances(t: GradedContext, count = 1): Promise<{ replication: ReplicationContext; all: Instance[]; first: Instance }> {
  const { createProfileService } = await t.solution<ReplicasModule>();
  const replication = t.replication();
  const all = Array.from({ length: count }, () => {
    const primary = replication.primary();
    const replica = replication.replica();
    return { service: createProfileService({ primary, replica, maxReplicaWaitMs }), primary, replica };
  });
  await all[0]!.service.migrate();
  await replication.caughtUp();
  for (const instance of all) {
    instance.primary.traffic.reset();
    instance.replica.traffic.reset();
  }
  return { replication, all, first: all[0]! };
}

/** Runs `call` and measures it. */
export async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await call();
  return { value, ms: performance.now() - started };
}

export const profile = (userId: string, bio: string) => ({ userId, name: userId.toUpperCase(), bio });
