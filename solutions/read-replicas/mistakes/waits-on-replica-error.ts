/**
 * Mistake: Treats a failed replica query like a lagging replica: retries it until maxReplicaWaitMs, even when the replica refuses connections.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail = ["failover.replica-stopped"];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return createPolicyProfileService(options, { ...referencePolicy, onReplicaError: "retry" });
}
