import { expect } from "vitest";
import { eventually, graded } from "../../../harness/testing/index.ts";
import { lint } from "./lint.ts";
import { columns, indexes, legacyApp, load, relfilenode, runPhase, seed } from "./implementation.ts";
import { afterExpand, oldAppServing } from "./starting-points.ts";

graded(
  "expand.old-app-keeps-working",
  { points: 4, timeoutMs: 15_000, hint: "Renaming name in place breaks the old app at once. Add full_name beside it and keep name (and everything the old app sends) working until contract." },
  async (t) => {
    const { impl, admin, traffic } = await oldAppServing(t);
    await runPhase(impl, t.postgres(), impl.createPlan().expand);
    const after = traffic.report.ops;
    await eventually(async () => expect(traffic.report.ops, "old app operations after expand").toBeGreaterThan(after + 20), { timeoutMs: 5000, intervalMs: 5 });
    const report = await traffic.stop();
    expect(report.errors.slice(0, 5), `failed operations of the old app during and after expand (${report.errors.length} of ${report.ops})`).toEqual([]);
    expect((await columns(admin)).map((column) => column.name), "columns of users after expand").toEqual(expect.arrayContaining(["id", "name", "email", "full_name"]));
  },
);

graded(
  "expand.no-rewrite",
  { points: 3, timeoutMs: 10_000, hint: "ALTER COLUMN ... TYPE (even text to varchar(n)) and a volatile DEFAULT rewrite the table under ACCESS EXCLUSIVE. Expand adds, it does not change." },
  async (t) => {
    const impl = await load(t);
    const admin = t.postgres();
    await seed(admin);
    const plan = impl.createPlan();
    expect(lint(plan, ["no-rename", "no-type-change"]), "lint violations (README rules L8, L9)").toEqual([]);
    const before = await relfilenode(admin);
    await runPhase(impl, t.postgres(), plan.expand);
    expect(await relfilenode(admin), "pg_relation_filenode('users') after expand: a changed file means the table was rewritten").toBe(before);
  },
);

graded(
  "expand.rerunnable",
  { points: 2, timeoutMs: 10_000, hint: "A deploy can die half-way and run again: ADD COLUMN IF NOT EXISTS, CREATE OR REPLACE, DROP ... IF EXISTS before ADD CONSTRAINT, and skip an index that is already valid." },
  async (t) => {
    const { impl, admin, expected, pool } = await afterExpand(t);
    await runPhase(impl, pool, impl.createPlan().expand);
    const old = legacyApp(admin);
    const id = [...expected.keys()][5]!;
    await old.rename(id, "Grace Hopper");
    expect((await old.get(id))?.name, "the old app reads back its rename after expand ran twice").toBe("Grace Hopper");
    const invalid = (await indexes(admin)).filter((index) => !index.valid).map((index) => index.name);
    expect(invalid, "invalid indexes after expand ran twice").toEqual([]);
  },
);
