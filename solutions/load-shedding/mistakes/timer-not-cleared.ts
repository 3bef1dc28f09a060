/**
 * Mistake: a request that got its slot keeps its queue timer; at the deadline it is
 * answered 503 while its handler is still running.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController, type Waiter } from "../admission-controller.ts";

export const mustFail = ["deadlines.admitted-in-time-runs", "goodput.ten-times-capacity"];

class StickyTimerAdmission extends AdmissionController {
  protected override forget(waiter: Waiter): void {
    waiter.unwatch();
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new StickyTimerAdmission(options);
}
