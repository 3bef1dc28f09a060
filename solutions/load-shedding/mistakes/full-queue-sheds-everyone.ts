/**
 * Mistake: priority only orders the queue; once it is full every arrival is shed, so a
 * critical request is refused while sheddable ones wait.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController, type Waiter } from "../admission-controller.ts";

export const mustFail = ["priorities.full-queue-evicts-lower"];

class NoEvictionAdmission extends AdmissionController {
  protected override evictFor(): Waiter | undefined {
    return undefined;
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new NoEvictionAdmission(options);
}
