/**
 * Mistake: Checks the replica once, then sleeps out maxReplicaWaitMs and reads the primary: a replica that catches up meanwhile is never used.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail = ["read-your-writes.served-once-caught-up"];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return createPolicyProfileService(options, { ...referencePolicy, pollMs: undefined });
}
