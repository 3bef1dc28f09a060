/**
 * Mistake: Re-checks a lagging replica in a tight loop, flooding it with queries.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail = ["efficiency.waiting"];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return createPolicyProfileService(options, { ...referencePolicy, pollMs: 0 });
}
