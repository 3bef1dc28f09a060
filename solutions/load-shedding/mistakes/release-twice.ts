/**
 * Mistake: the slot is freed on "finish" and again on "close" (both fire for a normal
 * response), so inflight() goes below zero and the limit stops limiting.
 */
import type { Response } from "express";
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController } from "../admission-controller.ts";

export const mustFail = ["disconnects.failures-free-slot-once"];

class DoubleReleaseAdmission extends AdmissionController {
  protected override watchSlot(res: Response, release: () => void): void {
    res.once("finish", release);
    res.once("close", release);
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new DoubleReleaseAdmission(options);
}
