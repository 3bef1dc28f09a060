/**
 * Mistake: stop() flips a flag and resolves at once. A deploy that stops the worker and
 * exits right after kills the sends in flight; their deliveries come back only after the
 * lease, and whatever the provider already did is done twice.
 */
import { queueVariant } from "./queue-variant.ts";

export const mustFail = ["crash-recovery.graceful-stop"];

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({
  worker: (worker) => ({
    stop: async () => {
      void worker.stop({ graceful: false });
    },
  }),
});
