import { expect } from "vitest";
import { graded, sleep } from "../../../harness/testing/index.ts";
import type { GradedContext } from "../../../harness/testing/index.ts";
import { load, rowsFor, settledAs, runPhase, seed, startTraffic, wrongFullNames } from "./implementation.ts";

/** Seeds, expands and backfills: the point where v2 is deployed next to v1. */
async function bothVersions(t: GradedContext) {
  const impl = await load(t);
  const admin = t.postgres();
  const expected = await seed(admin, 500);
  const pool = t.postgres();
  await runPhase(impl, pool, impl.createPlan().expand);
  await impl.backfill(pool, { batchSize: 200 });
  return { impl, admin, expected, v1: impl.createAppV1(t.postgres()), v2: impl.createAppV2(t.postgres()) };
}

graded(
  "dual-versions.see-each-other",
  { points: 4, timeoutMs: 10_000, hint: "v1 writes name and v2 writes full_name: a BEFORE INSERT OR UPDATE trigger that copies whichever changed into the other keeps both versions in step." },
  async (t) => {
    const { expected, v1, v2 } = await bothVersions(t);
    const a = await v1.create({ name: "Ada Lovelace", email: "ada@example.com" });
    expect(await v2.get(a.id), "v2.get of a user v1 created").toEqual({ id: a.id, name: "Ada Lovelace", email: "ada@example.com" });
    const b = await v2.create({ name: "Alan Turing", email: "alan@example.com" });
    expect(await v1.get(b.id), "v1.get of a user v2 created").toEqual({ id: b.id, name: "Alan Turing", email: "alan@example.com" });
    await v1.rename(b.id, "Alan M. Turing");
    expect((await v2.get(b.id))?.name, "v2 reads a rename by v1").toBe("Alan M. Turing");
    await v2.rename(a.id, "Ada King");
    expect((await v1.get(a.id))?.name, "v1 reads a rename by v2").toBe("Ada King");
    const [first, second] = [...expected.keys()].slice(10, 12) as [string, string];
    expect((await v2.get(first))?.name, "v2.get of a row from before the migration").toBe(expected.get(first));
    await v2.rename(first, "Renamed by v2");
    expect((await v1.get(first))?.name, "v1 reads v2's rename of an old row").toBe("Renamed by v2");
    await v1.rename(second, "Renamed by v1");
    expect((await v2.get(second))?.name, "v2 reads v1's rename of an old row").toBe("Renamed by v1");
    expect(await v1.get("987654321"), "v1.get of an id nobody has").toBeNull();
    expect(await v2.get("987654321"), "v2.get of an id nobody has").toBeNull();
  },
);

graded(
  "dual-versions.mixed-traffic",
  { points: 4, timeoutMs: 12_000, hint: "Every write of either version must be visible to the other at once, under concurrency, and full_name must hold the current name from the end of backfill on." },
  async (t) => {
    const { admin, expected, v1, v2 } = await bothVersions(t);
    const loops = [
      { tag: "v1 writes, v2 reads", writer: v1, reader: v2 },
      { tag: "v2 writes, v1 reads", writer: v2, reader: v1 },
      { tag: "v1 writes, v2 reads (b)", writer: v1, reader: v2 },
      { tag: "v2 writes, v1 reads (b)", writer: v2, reader: v1 },
    ].map((loop, k) => ({ ...loop, rows: rowsFor(expected, k, 4, 30) }));
    const traffic = startTraffic(loops, expected);
    await sleep(600);
    // On a loaded machine 600 ms may hold too few operations to prove anything: keep going (up to 5 s) until it does.
    const longest = performance.now() + 4400;
    while (traffic.report.ops <= 20 && performance.now() < longest) await sleep(50);
    const report = await traffic.stop();
    expect(report.ops, "operations in 600 ms (up to 5 s on a slow machine)").toBeGreaterThan(20);
    expect(report.errors.slice(0, 5), `failed or stale operations with both versions running (${report.errors.length} of ${report.ops})`).toEqual([]);
    expect((await wrongFullNames(admin, expected)).slice(0, 5), "rows whose full_name is not the user's current name").toEqual([]);
  },
);

graded("dual-versions.email-taken", { points: 2, timeoutMs: 10_000, hint: "Catch SQLSTATE 23505 from the INSERT and throw EmailTakenError; don't check first with a SELECT (a race)." }, async (t) => {
  const { impl, admin, v1, v2 } = await bothVersions(t);
  const count = async () => (await admin.query<{ n: string }>("SELECT count(*)::text AS n FROM users")).rows[0]!.n;
  const before = await count();
  const seeded = await v1.create({ name: "Twin", email: "user3@example.com" }).catch((error: unknown) => error);
  expect(settledAs(seeded, impl.EmailTakenError), "v1.create with the email of a user from before the migration").toBe("EmailTakenError");
  expect((seeded as { code?: string }).code, "EmailTakenError.code").toBe("EMAIL_TAKEN");
  await v1.create({ name: "First", email: "first@example.com" });
  const taken = await v2.create({ name: "Second", email: "first@example.com" }).catch((error: unknown) => error);
  expect(settledAs(taken, impl.EmailTakenError), "v2.create with an email v1 just used").toBe("EmailTakenError");
  expect(await count(), "users after one successful create and two refused").toBe(String(Number(before) + 1));
});
