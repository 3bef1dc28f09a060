/**
 * Mistake: Too early: gives up on a lagging replica after maxReplicaWaitMs / 2.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail = ["read-your-writes.gives-up-on-time"];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return createPolicyProfileService(options, { ...referencePolicy, giveUpAfterMs: (max) => max / 2 });
}
