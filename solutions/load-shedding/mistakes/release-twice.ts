/**
 * Mistake: the slot is freed on "finish" and again on "close" (both fire for a normal
 * response), so inflight() goes below zero and the limit stops limiting.
 */
import type { Response } from "express";
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController } from "../admission-controller.ts";

export const mustFail = [
  "concurrency.never-more-than-max",
  "concurrency.counters",
  "shedding.no-queue",
  "deadlines.never-runs-later",
  "disconnects.running-client-frees-slot",
  "disconnects.failures-free-slot-once",
  "goodput.ten-times-capacity",
  "adaptive.limit-is-enforced",
];

class DoubleReleaseAdmission extends AdmissionController {
  protected override watchSlot(res: Response, release: () => void): void {
    res.once("finish", release);
    res.once("close", release);
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new DoubleReleaseAdmission(options);
}
