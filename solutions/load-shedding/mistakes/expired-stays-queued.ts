/**
 * Mistake: at its deadline a request is answered 503 but left in the queue; when its
 * turn comes, its handler runs for a client that already has its answer.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController, type Waiter } from "../admission-controller.ts";

export const mustFail = ["deadlines.never-runs-later", "disconnects.queued-client-leaves", "goodput.ten-times-capacity"];

class ExpiredStaysAdmission extends AdmissionController {
  protected override armDeadline(waiter: Waiter): void {
    waiter.timer = setTimeout(() => this.shed(waiter.res), this.options.maxQueueWaitMs);
  }

  protected override watchQueued(): void {}
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new ExpiredStaysAdmission(options);
}
