/**
 * Mistake: Retry-After carries milliseconds. The header is in whole seconds (RFC 9110), so
 * clients wait a thousand times too long.
 */
import type { Response } from "express";
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController } from "../admission-controller.ts";
import { sendOverloaded } from "../overload-response.ts";

export const mustFail = [
  "shedding.full-queue-answers-503",
  "shedding.no-queue",
  "deadlines.answered-at-deadline",
  "deadlines.never-runs-later",
  "priorities.full-queue-evicts-lower",
];

class MillisecondsAdmission extends AdmissionController {
  protected override shed(res: Response): void {
    sendOverloaded(res, this.options.retryAfterSeconds * 1000);
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new MillisecondsAdmission(options);
}
