/**
 * Mistake: maxQueue is never checked; every request waits (until its deadline). Overload
 * is not shed early and cheaply: it waits maxQueueWaitMs first, holding a socket and memory.
 */
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";
import { AdmissionController } from "../admission-controller.ts";

export const mustFail = ["shedding.full-queue-answers-503", "shedding.no-queue", "priorities.full-queue-evicts-lower"];

export function createAdmission(options: AdmissionOptions): Admission {
  return new AdmissionController({ ...options, maxQueue: Number.POSITIVE_INFINITY });
}
