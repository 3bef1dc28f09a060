/**
 * Mistake: claims are leased for half of leaseMs, "so a crashed worker's deliveries come
 * back sooner". A healthy worker whose send merely takes longer than that loses its claim,
 * and another worker sends the same delivery while the first is still at it: the spec
 * says "no sooner" than leaseMs.
 */
import { PostgresStore, queueVariant } from "./queue-variant.ts";

export const mustFail = ["crash-recovery.killed-worker"];

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({
  store: (options) => new PostgresStore(options.pg, { ...options, leaseMs: options.leaseMs / 2 }),
  tune: (settings) => ({ ...settings, leaseMs: settings.leaseMs / 2 }),
});
