/**
 * Mistake: the adaptive limit is computed and reported by limit(), but slots are still
 * counted against maxConcurrent.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController } from "../admission-controller.ts";

export const mustFail = ["adaptive.limit-is-enforced"];

class ReportOnlyAdmission extends AdmissionController {
  protected override canStart(): boolean {
    return this.active < this.options.maxConcurrent;
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new ReportOnlyAdmission(options);
}
