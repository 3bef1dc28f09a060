/**
 * Mistake: every retry waits baseMs, "backoff: 50 ms". A provider that is down for a
 * minute gets hammered at the same rate the whole time, and maxAttempts is used up in
 * a fraction of a second.
 */
import { queueVariant } from "./queue-variant.ts";

export const mustFail = ["retries.backoff-schedule"];

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({ tune: (settings) => ({ ...settings, delayAfter: () => settings.backoff.baseMs }) });
