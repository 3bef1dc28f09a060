/**
 * Mistake: A read the primary served does not raise the viewer's position: their next read may come from the lagging replica and go back in time.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail = ["monotonic.after-primary-read"];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return createPolicyProfileService(options, { ...referencePolicy, raiseAfterPrimaryRead: false });
}
