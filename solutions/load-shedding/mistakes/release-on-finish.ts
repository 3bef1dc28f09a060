/**
 * Mistake: the slot is freed on the response's "finish", which never fires when the
 * connection dies first (a client that left, a handler that destroyed the socket).
 */
import type { Response } from "express";
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController } from "../admission-controller.ts";

export const mustFail = ["disconnects.running-client-frees-slot", "disconnects.failures-free-slot-once"];
export const mayFail = ["goodput.ten-times-capacity"];

class FinishOnlyAdmission extends AdmissionController {
  protected override watchSlot(res: Response, release: () => void): void {
    res.once("finish", release);
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new FinishOnlyAdmission(options);
}
