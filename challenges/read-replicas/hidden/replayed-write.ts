import type { GradedContext } from "../../../harness/testing/index.ts";
import { instances, type Instance } from "./implementation.ts";

/** How {@link replicaHasReplayed} and {@link replicaLagsBehind} set the scene. */
export interface ReplayedWriteOptions {
  /** Service instances to start; every write goes through the first. @default 1 */
  count?: number;
  /** Users who also write a "v1" profile, after the writer's, before the replica catches up. @default [] */
  alsoReplayed?: string[];
}

const writeProfile = (instance: Instance, userId: string, bio: string) => instance.service.updateProfile(userId, { name: userId.toUpperCase(), bio });

/** `writer` has written a "v1" profile through the first instance, and the replica has replayed it. */
export async function replicaHasReplayed(t: GradedContext, writer: string, options: ReplayedWriteOptions = {}) {
  const scene = await instances(t, options.count);
  await writeProfile(scene.first, writer, "v1");
  for (const user of options.alsoReplayed ?? []) await writeProfile(scene.first, user, "v1");
  await scene.replication.caughtUp();
  return scene;
}

/** {@link replicaHasReplayed}, then replay paused and `writer`'s "v2" written: the replica lags behind the writer's last write. */
export async function replicaLagsBehind(t: GradedContext, writer: string, options: ReplayedWriteOptions = {}) {
  const scene = await replicaHasReplayed(t, writer, options);
  await scene.replication.pauseReplay();
  await writeProfile(scene.first, writer, "v2");
  return scene;
}
