/**
 * Mistake: (too late) each sample moves a smoothed latency (EWMA, alpha 0.02), and the
 * limit follows that average. It takes about 35 samples to notice that latency doubled,
 * while the backend drowns.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController } from "../admission-controller.ts";
import { AdaptiveLimit, type ConcurrencyLimit } from "../concurrency-limit.ts";

export const mustFail = ["adaptive.shrinks-when-latency-doubles"];

class SmoothedLimit extends AdaptiveLimit {
  private smoothed: number | undefined;

  override sample(latencyMs: number): void {
    this.smoothed = this.smoothed === undefined ? latencyMs : this.smoothed + 0.02 * (latencyMs - this.smoothed);
    super.sample(this.smoothed);
  }
}

class SmoothedAdmission extends AdmissionController {
  protected override createAdaptiveLimit(initial: number, min: number, max: number): ConcurrencyLimit {
    return new SmoothedLimit(initial, min, max);
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new SmoothedAdmission(options);
}
