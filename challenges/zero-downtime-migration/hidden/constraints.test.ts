import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { lint } from "./lint.ts";
import { columns, load, relaxed, runPhase, seed, unvalidated } from "./implementation.ts";

graded(
  "constraints.not-valid-first",
  { points: 3, timeoutMs: 10_000, hint: "ADD CONSTRAINT ... CHECK (email IS NOT NULL) NOT VALID: new rows are checked at once, old rows later by VALIDATE CONSTRAINT." },
  async (t) => {
    const impl = await load(t);
    const admin = t.postgres();
    await seed(admin);
    const plan = impl.createPlan();
    expect(lint(plan, ["constraint-not-valid", "no-required-column"]), "lint violations (README rules L4, L5)").toEqual([]);
    await runPhase(impl, t.postgres(), plan.expand);
    let code: string | undefined;
    await admin.query("INSERT INTO users (name, email) VALUES ('No Email', NULL)").catch((error: { code?: string }) => (code = error.code));
    expect(["23502", "23514"], `an insert with a NULL email after expand (got ${code ?? "no error"})`).toContain(code);
  },
);

graded(
  "constraints.validated",
  { points: 3, timeoutMs: 12_000, hint: "VALIDATE CONSTRAINT in a step of its own; SET NOT NULL only once a validated CHECK (col IS NOT NULL) exists, so Postgres skips the scan." },
  async (t) => {
    const impl = await load(t);
    const admin = t.postgres();
    await seed(admin, 500);
    const plan = impl.createPlan();
    expect(lint(plan, ["validate-alone", "not-null-via-check"]), "lint violations (README rules L6, L7)").toEqual([]);
    const pool = t.postgres();
    await runPhase(impl, pool, plan.expand);
    expect(await unvalidated(admin), "constraints on users still NOT VALID after expand").toEqual([]);
    await impl.backfill(pool, { batchSize: 250 });
    await runPhase(impl, pool, plan.contract, relaxed);
    expect(await unvalidated(admin), "constraints on users still NOT VALID after contract").toEqual([]);
    const notNull = Object.fromEntries((await columns(admin)).map((column) => [column.name, column.notNull]));
    expect({ full_name: notNull.full_name, email: notNull.email }, "NOT NULL columns after contract").toEqual({ full_name: true, email: true });
  },
);
