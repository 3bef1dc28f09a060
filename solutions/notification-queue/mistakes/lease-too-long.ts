/**
 * Mistake: claims are leased for twice leaseMs, "a safety factor, so a slow provider is
 * never sent to twice". leaseMs is already the budget the operator chose: a crashed
 * worker's deliveries now wait twice as long as configured before anyone sends them.
 */
import { PostgresStore, queueVariant } from "./queue-variant.ts";

export const mustFail = ["crash-recovery.killed-worker"];

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({
  store: (options) => new PostgresStore(options.pg, { ...options, leaseMs: options.leaseMs * 2 }),
  tune: (settings) => ({ ...settings, leaseMs: settings.leaseMs * 2 }),
});
