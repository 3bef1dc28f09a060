import { expect } from "vitest";
import { eventually, type GradedContext } from "../../../harness/testing/index.ts";
import { legacyApp, load, rowsFor, runPhase, seed, startTraffic } from "./implementation.ts";

/**
 * The seeded table after the implementation's expand phase ran through `pool`, a pool of its own.
 * `expected` is each seeded user's name by id.
 */
export async function afterExpand(t: GradedContext) {
  const impl = await load(t);
  const admin = t.postgres();
  const expected = await seed(admin);
  const pool = t.postgres();
  await runPhase(impl, pool, impl.createPlan().expand);
  return { impl, admin, expected, pool };
}

/**
 * The seeded table, nothing migrated yet, with the old app serving three traffic loops that
 * keep `expected` up to date; returns once they have done more than 20 operations.
 */
export async function oldAppServing(t: GradedContext) {
  const impl = await load(t);
  const admin = t.postgres();
  const expected = await seed(admin);
  const old = legacyApp(t.postgres());
  const traffic = startTraffic([0, 1, 2].map((k) => ({ tag: `old app ${k}`, writer: old, reader: old, rows: rowsFor(expected, k, 3) })), expected);
  await eventually(async () => expect(traffic.report.ops).toBeGreaterThan(20), { timeoutMs: 5000, intervalMs: 5 });
  return { impl, admin, expected, traffic };
}
