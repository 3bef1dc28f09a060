/**
 * Mistake: (too early) any sample slower than the fastest one seen shrinks the limit, so
 * ordinary jitter keeps the service far below what it can take.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController } from "../admission-controller.ts";
import { AdaptiveLimit, type ConcurrencyLimit } from "../concurrency-limit.ts";

export const mustFail = ["adaptive.ignores-jitter"];

class TwitchyAdmission extends AdmissionController {
  protected override createAdaptiveLimit(initial: number, min: number, max: number): ConcurrencyLimit {
    return new AdaptiveLimit(initial, min, max, { healthyRatio: 1, decrease: 0.9 });
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new TwitchyAdmission(options);
}
