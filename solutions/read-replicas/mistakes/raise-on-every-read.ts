/**
 * Mistake: Writes the viewer's position after every read the replica served: a primary write per read.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail = ["read-your-writes.served-once-caught-up", "offload.share", "efficiency.read"];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return createPolicyProfileService(options, { ...referencePolicy, raiseAfterEveryRead: true });
}
