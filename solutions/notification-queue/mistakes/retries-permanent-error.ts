/**
 * Mistake: every error is retried, PermanentError included. An invalid phone number is
 * tried maxAttempts times, each try billed by the SMS gateway.
 */
import { queueVariant } from "./queue-variant.ts";

export const mustFail = ["dead-letters.permanent-error"];

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({ tune: (settings) => ({ ...settings, isPermanent: () => false }) });
