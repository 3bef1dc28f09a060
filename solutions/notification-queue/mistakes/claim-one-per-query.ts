/**
 * Mistake: the worker fills its free slots by claiming one delivery per statement. Each
 * claim is correct (SKIP LOCKED), but a batch of n costs n round trips to Postgres.
 */
import type { ClaimResult } from "../queue-store.ts";
import { PostgresStore, queueVariant } from "./queue-variant.ts";

export const mustFail = ["efficiency.batch-claim"];

class OneAtATimeStore extends PostgresStore {
  override async claim(limit: number): Promise<ClaimResult> {
    const claimed: ClaimResult["claimed"] = [];
    let nextDueAt: number | null = null;
    for (let i = 0; i < limit; i++) {
      const one = await super.claim(1);
      nextDueAt = one.nextDueAt;
      if (one.claimed.length === 0) break;
      claimed.push(...one.claimed);
    }
    return { claimed, nextDueAt };
  }
}

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({ store: (options) => new OneAtATimeStore(options.pg, options) });
