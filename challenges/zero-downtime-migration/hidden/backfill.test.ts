import type pg from "pg";
import { expect } from "vitest";
import { eventually, gatePool, graded, interceptResults, sleep } from "../../../harness/testing/index.ts";
import { seedRows, wrongFullNames } from "./implementation.ts";
import { afterExpand } from "./starting-points.ts";

async function versions(pool: pg.Pool): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ id: string; xmin: string }>("SELECT id::text AS id, xmin::text AS xmin FROM users WHERE full_name IS NOT NULL");
  return new Map(rows.map((row) => [row.id, row.xmin]));
}

graded(
  "backfill.batches",
  { points: 4, timeoutMs: 12_000, hint: "One statement per batch (autocommit), at most batchSize rows each: walk the primary key (WHERE id > last ORDER BY id LIMIT n)." },
  async (t) => {
    const { impl, admin, expected, pool } = await afterExpand(t);
    const batchSize = 150;
    await impl.backfill(pool, { batchSize });
    expect((await wrongFullNames(admin, expected)).slice(0, 5), "rows whose full_name differs from name after backfill (no traffic)").toEqual([]);
    // Each row's xmin is the transaction that wrote its current version.
    const { rows } = await admin.query<{ rows: number }>("SELECT count(*)::int AS rows FROM users GROUP BY xmin::text ORDER BY 1 DESC");
    expect(rows[0]!.rows, `the most rows one transaction wrote (batchSize ${batchSize}; ${rows.length} transactions in all)`).toBeLessThanOrEqual(batchSize);
    expect(rows.length, `transactions that wrote the ${seedRows} rows (batchSize ${batchSize})`).toBeGreaterThanOrEqual(Math.ceil(seedRows / batchSize));
  },
);

graded(
  "backfill.resumes",
  { points: 3, timeoutMs: 12_000, hint: "Skip rows that are already done (WHERE full_name IS NULL): a restarted backfill then rewrites nothing twice, whatever it kept in memory." },
  async (t) => {
    const { impl, admin, expected } = await afterExpand(t);
    const killer = await t.postgres().connect();
    const doomed = t.postgres();
    // Only the backfill's connections die: the ones open before it started are spared.
    const { rows: spared } = await killer.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database()");
    let results = 0;
    interceptResults(doomed, async () => {
      if (++results !== 6) return;
      await killer.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND NOT (pid = ANY($1::int[]))", [spared.map((row) => row.pid)]);
    });
    const killed = await impl.backfill(doomed, { batchSize: 100 }).then(
      () => "backfill finished",
      () => "killed",
    );
    killer.release();
    const done = await versions(admin);
    expect({ killed, committed: done.size > 0 && done.size < seedRows }, `backfill killed after 6 query results (${done.size} of ${seedRows} rows committed): some batches must have committed, not all`).toEqual({ killed: "killed", committed: true });
    await impl.backfill(t.postgres(), { batchSize: 100 });
    expect((await wrongFullNames(admin, expected)).slice(0, 5), "rows whose full_name differs from name after the second run").toEqual([]);
    const after = await versions(admin);
    const rewritten = [...done].filter(([id, xmin]) => after.get(id) !== xmin).length;
    expect(rewritten, `rows the first run had filled that the second run wrote again (of ${done.size})`).toBe(0);
  },
);

graded(
  "backfill.no-lost-update",
  { points: 3, timeoutMs: 12_000, hint: "Reading names and writing them back in a later statement loses every rename in between. Copy inside one UPDATE, only where full_name IS NULL." },
  async (t) => {
    const { impl, admin, expected } = await afterExpand(t);
    const v1 = impl.createAppV1(t.postgres());
    const slow = t.postgres();
    const gate = gatePool(slow);
    gate.close();
    const running = impl.backfill(slow, { batchSize: 100 });
    running.catch(() => {});
    await eventually(async () => expect(gate.held, "backfill query results held at the gate").toBeGreaterThan(0), { timeoutMs: 3000, intervalMs: 2 });
    // v1 renames a spread of rows while the backfill's first answer is held back.
    const targets = [...expected.keys()].filter((_, i) => i % 20 === 0);
    const renames = Promise.all(targets.map(async (id) => {
      await v1.rename(id, `Renamed ${id}`);
      expected.set(id, `Renamed ${id}`);
    }));
    renames.catch(() => {});
    // A correct backfill may hold row locks in an open transaction: then the renames wait for it.
    await Promise.race([renames, sleep(500)]);
    gate.open();
    await running;
    await renames;
    expect((await wrongFullNames(admin, expected)).slice(0, 5), "rows whose full_name is not the latest name after v1 renamed them during the backfill").toEqual([]);
  },
);
