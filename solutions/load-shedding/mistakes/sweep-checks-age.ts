/**
 * Mistake: (too late) a sweep every maxQueueWaitMs answers the requests that have waited
 * at least maxQueueWaitMs. A request that just missed one sweep waits for the next: up
 * to twice its deadline.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController, type Waiter } from "../admission-controller.ts";

export const mustFail = ["deadlines.answered-at-deadline"];
export const mayFail = ["goodput.ten-times-capacity"];

class AgeSweepAdmission extends AdmissionController {
  private sweeper?: NodeJS.Timeout;
  private readonly waiting = new Map<Waiter, number>();

  protected override armDeadline(waiter: Waiter): void {
    this.waiting.set(waiter, performance.now());
    this.sweeper ??= setInterval(() => {
      const now = performance.now();
      for (const [queued, since] of [...this.waiting]) {
        if (now - since < this.options.maxQueueWaitMs) continue;
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
  return new AgeSweepAdmission(options);
}
