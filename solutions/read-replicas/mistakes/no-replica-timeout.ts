/**
 * Mistake: Waits for a replica query however long it takes: a hung replica hangs the read.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail: string[] = [];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return createPolicyProfileService(options, { ...referencePolicy, timeoutReplica: false });
}
