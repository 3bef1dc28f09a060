/**
 * Mistake: attempts counted from zero, min(maxMs, baseMs * 2^(n-2)). Every delay below the
 * cap is half the spec's: the first retry comes after baseMs / 2. Early retries are the
 * one thing a backoff promises never to do.
 */
import { queueVariant } from "./queue-variant.ts";

export const mustFail = ["retries.backoff-schedule"];

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({
  tune: (settings) => ({ ...settings, delayAfter: (n) => Math.min(settings.backoff.maxMs, settings.backoff.baseMs * 2 ** (n - 2)) }),
});
