/**
 * Mistake: (too late) a sweep every maxQueueWaitMs answers the requests that have waited
 * at least maxQueueWaitMs. A request that just missed one sweep waits for the next: up
 * to twice its deadline.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { SweepingAdmission } from "./sweeping-admission.ts";

export const mustFail = ["deadlines.answered-at-deadline"];
export const mayFail = ["goodput.ten-times-capacity"];

class AgeSweepAdmission extends SweepingAdmission {
  protected override due(waitedMs: number): boolean {
    return waitedMs >= this.options.maxQueueWaitMs;
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new AgeSweepAdmission(options);
}
