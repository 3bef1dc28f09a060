/**
 * Mistake: Pins a writer to the primary for 2 s after each write (the Rails-style delay) instead of comparing positions.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail: string[] = [];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return createPolicyProfileService(options, { ...referencePolicy, stickyAfterWriteMs: 2000 });
}
