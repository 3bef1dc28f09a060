/**
 * Mistake: baseMs * 2^(n-1) without the maxMs cap. Fine for three attempts; with more,
 * the delays double past any sensible bound (attempt 20 would wait for days).
 */
import { queueVariant } from "./queue-variant.ts";

export const mustFail = ["retries.backoff-schedule"];

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({ tune: (settings) => ({ ...settings, delayAfter: (n) => settings.backoff.baseMs * 2 ** (n - 1) }) });
