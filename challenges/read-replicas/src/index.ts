/**
 * Read replicas with read-your-writes — your implementation goes here.
 * The spec is in ../README.md. Grade it with: npm run grade read-replicas
 */
import type { Pool } from "pg";

/** A user's public profile. */
export interface Profile {
  userId: string;
  name: string;
  bio: string;
}

export interface ProfileServiceOptions {
  /** Pool on the primary: takes writes. Provided by the caller; don't end() it. */
  primary: Pool;
  /** Pool on the streaming replica of the same database: read-only, may lag. Provided by the caller; don't end() it. */
  replica: Pool;
  /** How long a read may wait for the replica to catch up with the viewer before it goes to the primary. */
  maxReplicaWaitMs: number;
}

export interface ProfileService {
  /** Creates what the service needs on the primary; safe to run again, from any instance. */
  migrate(): Promise<void>;
  /** Creates or replaces `userId`'s profile; `userId` is the viewer who wrote it. */
  updateProfile(userId: string, profile: { name: string; bio: string }): Promise<void>;
  /** `userId`'s profile as `viewerId` may see it, or null if there is none. */
  getProfile(viewerId: string, userId: string): Promise<Profile | null>;
  /** Up to `limit` profiles, ordered by userId ascending, as `viewerId` may see them. */
  listProfiles(viewerId: string, query: { limit: number }): Promise<Profile[]>;
}

/** Thrown by the parts you have not written yet; the grader reports them as "not implemented". */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}

export function createProfileService(options: ProfileServiceOptions): ProfileService {
  throw new NotImplementedError("createProfileService");
}
