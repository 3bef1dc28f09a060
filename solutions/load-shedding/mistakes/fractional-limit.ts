/**
 * Mistake: the multiplicative decrease is never rounded, so limit() reports 16.2 slots.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController } from "../admission-controller.ts";
import { AdaptiveLimit, type ConcurrencyLimit } from "../concurrency-limit.ts";

export const mustFail = ["adaptive.stays-in-bounds"];

class FractionalLimit extends AdaptiveLimit {
  protected override clamp(value: number): number {
    return Math.min(this.max, Math.max(this.min, value));
  }
}

class FractionalAdmission extends AdmissionController {
  protected override createAdaptiveLimit(initial: number, min: number, max: number): ConcurrencyLimit {
    return new FractionalLimit(initial, min, max);
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new FractionalAdmission(options);
}
