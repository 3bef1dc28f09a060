/**
 * Reference solution: a slot counter freed on the response's "close", a bounded FIFO
 * queue per priority class with a timer per waiting request, 503 + Retry-After for the
 * rest, and an AIMD limit against a latency baseline. See NOTES.md.
 */
import type { Admission, AdmissionOptions } from "../../challenges/load-shedding/src/index.ts";
import { AdmissionController } from "./admission-controller.ts";

export type { Admission, AdmissionOptions, AdaptiveOptions, Priority } from "../../challenges/load-shedding/src/index.ts";

export function createAdmission(options: AdmissionOptions): Admission {
  return new AdmissionController(options);
}
