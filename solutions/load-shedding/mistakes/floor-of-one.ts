/**
 * Mistake: the limit is kept at one or more instead of within [min, max], so it sinks
 * below min under slow responses (and a low maxConcurrent starts below it).
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController } from "../admission-controller.ts";
import { AdaptiveLimit, type ConcurrencyLimit } from "../concurrency-limit.ts";

export const mustFail = ["adaptive.stays-in-bounds"];

class FloorOfOneLimit extends AdaptiveLimit {
  protected override clamp(value: number): number {
    return Math.min(this.max, Math.max(1, Math.floor(value)));
  }
}

class FloorOfOneAdmission extends AdmissionController {
  protected override createAdaptiveLimit(initial: number, min: number, max: number): ConcurrencyLimit {
    return new FloorOfOneLimit(initial, min, max);
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new FloorOfOneAdmission(options);
}
