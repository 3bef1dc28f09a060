/**
 * Mistake: reads always go to the replica, never compared with the viewer's position: a
 * writer does not see their own write until the replica replays it.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail = ["read-your-writes.own-write-while-lagging", "read-your-writes.across-instances", "read-your-writes.gives-up-on-time", "read-your-writes.served-once-caught-up", "routing.lsn-order", "failover.replica-stopped", "failover.replica-hangs", "failover.back-to-replica", "efficiency.waiting"];
// Its reads of a frozen replica hang until the pool gives up on connecting or the test times out, whichever comes first.
export const mayFail = ["monotonic.after-primary-read"];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  const service = createPolicyProfileService(options, referencePolicy);
  return {
    ...service,
    async getProfile(_viewerId, userId) {
      const result = await options.replica.query<{ user_id: string; name: string; bio: string }>("SELECT user_id, name, bio FROM profiles WHERE user_id = $1", [userId]);
      const row = result.rows[0];
      return row ? { userId: row.user_id, name: row.name, bio: row.bio } : null;
    },
  };
}
