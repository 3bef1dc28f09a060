import type { GradedContext } from "../../../harness/testing/index.ts";

/** The interface every implementation under test exports (the stub's). */
export type AdmissionModule = typeof import("../src/index.ts");

export function load(t: GradedContext): Promise<AdmissionModule> {
  return t.solution<AdmissionModule>();
}
