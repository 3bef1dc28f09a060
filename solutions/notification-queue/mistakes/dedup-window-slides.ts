/**
 * Mistake: a duplicate enqueue renews the key's window, the way a cache hit refreshes a
 * TTL. The key is then remembered for dedupWindowMs after its last use, not its first: a
 * client that retries now and then is deduplicated forever, and its next real
 * notification is swallowed.
 */
import type { NotificationInput } from "../../../challenges/notification-queue/src/index.ts";
import { PostgresStore, queueVariant } from "./queue-variant.ts";

export const mustFail = ["idempotency.window-expires"];

class SlidingWindowStore extends PostgresStore {
  override async enqueue(n: NotificationInput): Promise<{ notificationId: string; deduplicated: boolean }> {
    const result = await super.enqueue(n);
    if (result.deduplicated) {
      await this.pg.query("UPDATE nq_idempotency SET expires_at = clock_timestamp() + make_interval(secs => $2::float8 / 1000) WHERE key = $1", [n.idempotencyKey, this.options.dedupWindowMs]);
    }
    return result;
  }
}

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({ store: (options) => new SlidingWindowStore(options.pg, options) });
