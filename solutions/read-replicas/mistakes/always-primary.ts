/**
 * Mistake: every read goes to the primary: always fresh, nothing offloaded, and the
 * replica sits idle.
 */
import type { Profile, ProfileService, ProfileServiceOptions } from "../../../challenges/read-replicas/src/index.ts";
import { createPolicyProfileService, referencePolicy } from "../profile-service.ts";

export const mustFail = ["routing.stale-for-others", "read-your-writes.gives-up-on-time", "read-your-writes.served-once-caught-up", "monotonic.after-primary-read", "offload.back-to-replica", "offload.share", "failover.back-to-replica"];

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  const service = createPolicyProfileService(options, referencePolicy);
  const rows = async (sql: string, params: unknown[]): Promise<Profile[]> =>
    (await options.primary.query<{ user_id: string; name: string; bio: string }>(sql, params)).rows.map((row) => ({ userId: row.user_id, name: row.name, bio: row.bio }));
  return {
    ...service,
    async getProfile(_viewerId, userId) {
      return (await rows("SELECT user_id, name, bio FROM profiles WHERE user_id = $1", [userId]))[0] ?? null;
    },
    listProfiles(_viewerId, { limit }) {
      return rows(`SELECT user_id, name, bio FROM profiles ORDER BY user_id COLLATE "C" LIMIT $1`, [limit]);
    },
  };
}
