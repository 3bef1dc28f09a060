import { expect } from "vitest";
import { eventually, graded } from "../../../harness/testing/index.ts";
import { columns, indexes, legacyApp, load, relfilenode, rowsFor, runPhase, seed, startTraffic, wrongFullNames, type TrafficReport } from "./implementation.ts";

const failures = (report: TrafficReport) => report.errors.slice(0, 5);

graded(
  "contract.v2-alone",
  { points: 5, timeoutMs: 20_000, hint: "Contract must leave nothing that mentions name: drop the trigger and its function in the same transaction as the column, then NOT NULL through a validated CHECK." },
  async (t) => {
    const impl = await load(t);
    const admin = t.postgres();
    const expected = await seed(admin);
    const file = await relfilenode(admin);
    const migration = t.postgres();
    const plan = impl.createPlan();
    const moreOps = async (traffic: { report: TrafficReport }, n: number) => {
      const start = traffic.report.ops;
      await eventually(async () => expect(traffic.report.ops).toBeGreaterThan(start + n), { timeoutMs: 5000, intervalMs: 5 });
    };

    // 1. The old app serves traffic while expand runs.
    const old = legacyApp(t.postgres());
    const oldTraffic = startTraffic([0, 1].map((k) => ({ tag: `old app ${k}`, writer: old, reader: old, rows: rowsFor(expected, k, 6, 30) })), expected);
    await moreOps(oldTraffic, 10);
    await runPhase(impl, migration, plan.expand);
    expect(failures(await oldTraffic.stop()), "old app during expand").toEqual([]);

    // 2. v1 replaces it; the backfill runs under v1's traffic; then v2 joins.
    const v1 = impl.createAppV1(t.postgres());
    const v1Traffic = startTraffic([{ tag: "v1", writer: v1, reader: v1, rows: rowsFor(expected, 2, 6, 30) }], expected);
    await impl.backfill(migration, { batchSize: 250 });
    const v2 = impl.createAppV2(t.postgres());
    const mixed = startTraffic(
      [
        { tag: "v2 writes, v1 reads", writer: v2, reader: v1, rows: rowsFor(expected, 3, 6, 30) },
        { tag: "v1 writes, v2 reads", writer: v1, reader: v2, rows: rowsFor(expected, 4, 6, 30) },
      ],
      expected,
    );
    await moreOps(mixed, 20);
    expect(failures(await v1Traffic.stop()), "v1 during the backfill").toEqual([]);
    expect(failures(await mixed.stop()), "v1 and v2 side by side").toEqual([]);

    // 3. v1 is gone; contract runs while v2 serves traffic.
    const v2Traffic = startTraffic([3, 4, 5].map((k) => ({ tag: `v2 ${k}`, writer: v2, reader: v2, rows: rowsFor(expected, k, 6, 30) })), expected);
    await moreOps(v2Traffic, 10);
    await runPhase(impl, migration, plan.contract);
    await moreOps(v2Traffic, 20);
    expect(failures(await v2Traffic.stop()), "v2 during and after contract").toEqual([]);

    const after = await columns(admin);
    expect(after.map((column) => `${column.name}${column.notNull ? " NOT NULL" : ""}`), "columns of users after contract").toEqual(["id NOT NULL", "email NOT NULL", "full_name NOT NULL"]);
    const all = await indexes(admin);
    expect(all.find((index) => index.name === "users_email_key"), "users_email_key after contract").toMatchObject({ unique: true, valid: true, columns: ["email"] });
    expect(all.filter((index) => !index.valid).map((index) => index.name), "INVALID indexes after contract").toEqual([]);
    expect(await relfilenode(admin), "pg_relation_filenode('users') after the whole migration: the table was never rewritten").toBe(file);
    expect((await wrongFullNames(admin, expected)).slice(0, 5), "users whose full_name is not their latest name").toEqual([]);
    const fresh = impl.createAppV2(t.postgres());
    const user = await fresh.create({ name: "Katherine Johnson", email: "katherine@example.com" });
    await fresh.rename(user.id, "Katherine G. Johnson");
    expect(await fresh.get(user.id), "a new v2 instance after contract").toEqual({ id: user.id, name: "Katherine G. Johnson", email: "katherine@example.com" });
  },
);
