import type { RawError, RawTestResult } from "../runner/raw-run.ts";
import type { Verdict } from "./grade-result.ts";

function isNotImplemented(error: RawError): boolean {
  return error.name === "NotImplementedError" || /NotImplementedError/.test(error.message);
}

function isTimeout(error: RawError): boolean {
  return /Test timed out in \d+ms/.test(error.message);
}

/** An assertion made by the suite (expect, assert), as opposed to something the learner's code threw. */
function isAssertion(error: RawError): boolean {
  return error.name === "AssertionError" || error.expected !== undefined || error.actual !== undefined;
}

/** The verdict for one raw test, and the error that decided it. */
export function classifyVerdict(test: RawTestResult): { verdict: Verdict; error?: RawError } {
  if (test.state === "passed") return { verdict: "passed" };
  if (test.state === "skipped") return { verdict: "skipped" };
  if (test.state === "pending") return { verdict: "timeout" };
  const error = test.errors[0] ?? { name: "Error", message: "failed without an error message" };
  if (test.errors.some(isNotImplemented)) return { verdict: "not-implemented", error };
  if (isTimeout(error)) return { verdict: "timeout", error };
  if (isAssertion(error)) return { verdict: "failed", error };
  return { verdict: "error", error };
}
