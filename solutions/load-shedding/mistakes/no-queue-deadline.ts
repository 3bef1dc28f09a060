/**
 * Mistake: the queue has no deadline (maxQueueWaitMs is ignored), so a queued request waits as long as it takes. Under
 * overload the queue fills with requests whose clients gave up long ago, and the service
 * spends all its capacity on answers nobody reads.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController } from "../admission-controller.ts";

export const mustFail = ["deadlines.answered-at-deadline", "deadlines.never-runs-later", "goodput.ten-times-capacity"];

class NoDeadlineAdmission extends AdmissionController {
  protected override armDeadline(): void {}
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new NoDeadlineAdmission(options);
}
