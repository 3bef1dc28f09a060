import { inject, test } from "vitest";
import type { GradedTestMeta } from "../runner/raw-run.ts";
import type { GradedContext } from "./graded.ts";
import { graded } from "./graded.ts";

/**
 * An ungraded side-by-side measurement: `measure` runs once against the reference and
 * once against the learner's code in the same run; the report shows the ratio only.
 */
export function throughputComparison<T>(
  stage: string,
  options: { name: string; unit: string; timeoutMs?: number },
  measure: (impl: T, t: GradedContext) => Promise<number>,
): void {
  if (!inject("katas").measurePerformance) {
    const meta: GradedTestMeta = { id: `${stage}.throughput`, stage, points: 0, kind: "measurement" };
    test.skip(`${stage}.throughput`, { meta: { katas: meta } }, () => {});
    return;
  }
  const id = `${stage}.throughput`;
  // Reuse graded()'s fresh database and cleanup, but mark the test as a measurement worth no points.
  graded(id, { points: 0, kind: "measurement", timeoutMs: options.timeoutMs ?? 15_000 }, async (t) => {
    const meta = t.vitest.task.meta.katas as GradedTestMeta;
    const reference = await measure(await t.reference<T>(), t);
    meta.measurement = { name: options.name, unit: options.unit, reference, learner: null };
    try {
      meta.measurement.learner = await measure(await t.solution<T>(), t);
    } catch (error) {
      const failure = error as Error;
      meta.measurement.error = failure?.name === "NotImplementedError" ? "not implemented yet" : `${failure?.name ?? "Error"}: ${failure?.message ?? String(error)}`;
    }
  });
}
