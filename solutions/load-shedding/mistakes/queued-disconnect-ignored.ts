/**
 * Mistake: a queued request whose client left stays in the queue, takes a place a live
 * request could have had, and gets a slot (and a handler run) when its turn comes.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController } from "../admission-controller.ts";

export const mustFail = ["disconnects.queued-client-leaves"];
export const mayFail = ["goodput.ten-times-capacity"];

class DeafQueueAdmission extends AdmissionController {
  protected override watchQueued(): void {}
}

export function createAdmission(options: AdmissionOptions): Admission {
  return new DeafQueueAdmission(options);
}
