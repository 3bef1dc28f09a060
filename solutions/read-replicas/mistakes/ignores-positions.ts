/**
 * Mistake: reads always go to the replica, never compared with the viewer's position: a
 * writer does not see their own write until the replica replays it.
 */
import type { ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail: string[] = [];

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
