/**
 * Mistake: no timer; a request's deadline is checked only when a slot frees and it is
 * next in line. While the handlers are stuck, nobody in the queue hears anything.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController, type Waiter } from "../admission-controller.ts";

export const mustFail = ["deadlines.answered-at-deadline", "deadlines.never-runs-later"];
export const mayFail = ["goodput.ten-times-capacity"];

class LazyDeadlineAdmission extends AdmissionController {
  private readonly since = new WeakMap<Waiter, number>();

  protected override armDeadline(waiter: Waiter): void {
    this.since.set(waiter, performance.now());
  }

  protected override takeNext(): Waiter | undefined {
    for (;;) {
      const waiter = super.takeNext();
      if (!waiter) return undefined;
      if (performance.now() - this.since.get(waiter)! < this.options.maxQueueWaitMs) return waiter;
      this.forget(waiter);
      this.shed(waiter.res);
    }
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new LazyDeadlineAdmission(options);
}
