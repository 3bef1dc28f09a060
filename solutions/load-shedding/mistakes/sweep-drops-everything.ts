/**
 * Mistake: (too early) no deadline per request; a sweep every maxQueueWaitMs answers
 * everything queued at that moment, including requests that arrived just before it.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController, type Waiter } from "../admission-controller.ts";

export const mustFail = ["deadlines.answered-at-deadline"];

class SweepingAdmission extends AdmissionController {
  private sweeper?: NodeJS.Timeout;
  private readonly waiting = new Set<Waiter>();

  protected override armDeadline(waiter: Waiter): void {
    this.waiting.add(waiter);
    this.sweeper ??= setInterval(() => {
      for (const queued of [...this.waiting]) {
        this.leaveQueue(queued);
        this.shed(queued.res);
      }
    }, this.options.maxQueueWaitMs);
    this.sweeper.unref();
  }

  protected override forget(waiter: Waiter): void {
    this.waiting.delete(waiter);
    super.forget(waiter);
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new SweepingAdmission(options);
}
