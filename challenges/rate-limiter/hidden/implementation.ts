import type { GradedContext } from "../../../harness/testing/index.ts";

/** The interface every implementation under test exports (the stub's). */
export type RateLimiterModule = typeof import("../src/index.ts");

export function load(t: GradedContext): Promise<RateLimiterModule> {
  return t.solution<RateLimiterModule>();
}
