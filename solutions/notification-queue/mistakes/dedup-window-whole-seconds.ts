/**
 * Mistake: the key's expiry is computed with integer division, make_interval(secs =>
 * $3::int / 1000), so the window is cut to whole seconds: 1,500 ms becomes 1 s, and
 * anything under a second becomes 0. A client's retry late in the window creates a
 * second notification.
 */
import { PostgresStore, enqueueSql, queueVariant } from "./queue-variant.ts";

// With the default window (500 ms) the key is forgotten at once, so twenty concurrent enqueues make several notifications too.
export const mustFail = ["idempotency.concurrent-enqueues", "idempotency.window-expires"];

const wholeSeconds = "make_interval(secs => $3::int / 1000)";
const exact = "make_interval(secs => $3::float8 / 1000)";
if (!enqueueSql.includes(exact)) throw new Error("mistake variant is stale: the reference's enqueue no longer computes the window this way");

class WholeSecondsStore extends PostgresStore {
  protected override readonly enqueueStatement = enqueueSql.replace(exact, wholeSeconds);
}

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({ store: (options) => new WholeSecondsStore(options.pg, options) });
