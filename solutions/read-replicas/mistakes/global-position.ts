/**
 * Mistake: One position for everyone (the newest write of anyone): every viewer waits for every write.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail = ["routing.stale-for-others", "monotonic.after-primary-read", "offload.back-to-replica", "offload.share", "failover.back-to-replica"];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return createPolicyProfileService(options, { ...referencePolicy, scope: "global" });
}
