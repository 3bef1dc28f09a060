/**
 * Mistake: Waits for a replica query however long it takes: a hung replica hangs the read.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail = ["failover.replica-hangs"];
// Its reads of a frozen replica hang until the pool gives up on connecting or the test times out, whichever comes first.
export const mayFail = ["monotonic.after-primary-read"];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  return createPolicyProfileService(options, { ...referencePolicy, timeoutReplica: false });
}
