/**
 * Mistake: the exponent counts the attempt about to start instead of the one that failed,
 * min(maxMs, baseMs * 2^n). Every delay below the cap is twice the spec's: the first
 * retry waits 2 × baseMs. A schedule that is late by a constant factor looks plausible
 * in a log; only a measured gap shows it.
 */
import { queueVariant } from "./queue-variant.ts";

export const mustFail = ["retries.backoff-schedule"];

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({
  tune: (settings) => ({ ...settings, delayAfter: (n) => Math.min(settings.backoff.maxMs, settings.backoff.baseMs * 2 ** n) }),
});
