/**
 * Mistake: (too early) no deadline per request; a sweep every maxQueueWaitMs answers
 * everything queued at that moment, including requests that arrived just before it.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { SweepingAdmission } from "./sweeping-admission.ts";

export const mustFail = ["deadlines.answered-at-deadline"];

class SweepingEverythingAdmission extends SweepingAdmission {
  protected override due(): boolean {
    return true;
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new SweepingEverythingAdmission(options);
}
