/**
 * Mistake: Too late: waits 2 x maxReplicaWaitMs for a lagging replica before it reads the primary.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail: string[] = [];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return createPolicyProfileService(options, { ...referencePolicy, giveUpAfterMs: (max) => max * 2 });
}
