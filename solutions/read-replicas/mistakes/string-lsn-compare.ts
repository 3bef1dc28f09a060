/**
 * Mistake: Compares LSNs as strings in JavaScript: "0/F000028" >= "0/10000028", so a replica far behind looks caught up.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail = ["routing.lsn-order"];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return createPolicyProfileService(options, { ...referencePolicy, compare: "string" });
}
