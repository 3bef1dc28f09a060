/**
 * Mistake: Skips the replica for 5 s after it failed once: reads stay on the primary after the replica is back.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail = ["failover.back-to-replica"];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return createPolicyProfileService(options, { ...referencePolicy, skipReplicaAfterErrorMs: 5000 });
}
