/**
 * Reference solution: writes on the primary, each writer's WAL position kept in a table on
 * the primary, reads on the replica once it has replayed the viewer's position (waiting up
 * to maxReplicaWaitMs), else on the primary, which then raises the position. See NOTES.md.
 */
import type { ProfileService, ProfileServiceOptions } from "../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "./profile-service.ts";

export type { Profile, ProfileService, ProfileServiceOptions } from "../../challenges/read-replicas/src/index.ts";

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return createPolicyProfileService(options, referencePolicy);
}
