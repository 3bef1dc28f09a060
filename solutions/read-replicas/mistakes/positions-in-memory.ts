/**
 * Mistake: Keeps each viewer's position in a Map: another instance of the service never sees it.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail = ["read-your-writes.across-instances", "monotonic.after-primary-read"];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return createPolicyProfileService(options, { ...referencePolicy, positions: "memory" });
}
