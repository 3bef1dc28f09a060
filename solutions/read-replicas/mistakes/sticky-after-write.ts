/**
 * Mistake: Pins a writer to the primary for 2 s after each write (the Rails-style delay) instead of comparing positions.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail = ["read-your-writes.gives-up-on-time", "read-your-writes.served-once-caught-up", "offload.back-to-replica", "offload.share"];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return createPolicyProfileService(options, { ...referencePolicy, stickyAfterWriteMs: 2000 });
}
