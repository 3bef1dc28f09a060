/**
 * Mistake: the unit of retry is the notification, not the delivery. When one channel
 * fails, every channel of the notification is scheduled again, so the user receives the
 * email and the push that already went out once more (and a stale attempt's late failure
 * re-sends a delivery that a newer attempt already sent).
 */
import type { AttemptOutcome, ClaimedDelivery } from "../queue-store.ts";
import { PostgresStore, queueVariant } from "./queue-variant.ts";

export const mustFail = ["retries.failed-channel-alone", "dead-letters.after-max-attempts", "crash-recovery.stale-ack"];

class WholeNotificationStore extends PostgresStore {
  override async complete(claimed: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
    await super.complete(claimed, outcome);
    if (outcome.ok || outcome.permanent) return;
    await this.pg.query(
      `UPDATE nq_deliveries SET status = 'pending', attempt_limit = attempt_limit + 1, due_at = clock_timestamp() + make_interval(secs => $2::float8 / 1000)
       WHERE notification_id = $1 AND status = 'sent'`,
      [claimed.message.notificationId, outcome.delayMs],
    );
  }
}

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({ store: (options) => new WholeNotificationStore(options.pg, options) });
