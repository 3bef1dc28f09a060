import type { Verdict } from "../grading/grade-result.ts";

/** How each verdict reads to a person, in the console and in the HTML page alike. */
export const verdictLabel: Record<Verdict, string> = {
  passed: "passed",
  failed: "failed",
  error: "error",
  "not-implemented": "not implemented",
  timeout: "timed out",
  skipped: "skipped",
};

/** A duration as a person reads it: milliseconds under a second, else seconds. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
