/**
 * Mistake: Too late: waits 2 x maxReplicaWaitMs for a lagging replica before it reads the primary.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail = ["read-your-writes.gives-up-on-time", "failover.replica-hangs"];
// Four reads of 1.2 s each may or may not outlast the test's 6 s limit.
export const mayFail = ["monotonic.after-primary-read"];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return createPolicyProfileService(options, { ...referencePolicy, giveUpAfterMs: (max) => max * 2 });
}
