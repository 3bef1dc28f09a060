import pg from "pg";
import { expect, test } from "vitest";
import { LocalProvider } from "../services/local/local-provider.ts";
import { Teardown } from "../services/teardown.ts";
import type { PostgresTarget } from "../services/types.ts";

test("the local provider starts Postgres from a cached template, isolates databases, stops and restarts it, and leaves nothing behind", async () => {
  const teardown = new Teardown();
  const provider = new LocalProvider(teardown);
  let pid: number | undefined;
  try {
    const started = performance.now();
    await provider.start(["postgres"]);
    const a = (await provider.allocate("postgres", { exclusive: false })) as PostgresTarget;
    const b = (await provider.allocate("postgres", { exclusive: false })) as PostgresTarget;
    expect(a.database).not.toBe(b.database);
    expect(performance.now() - started, "cold start, template included").toBeLessThan(15_000);
    expect(provider.versions().postgres).toMatch(/^\d+/);

    const poolA = new pg.Pool({ host: a.host, port: a.port, user: a.user, database: a.database });
    poolA.on("error", () => {}); // its idle connections die when the server stops below
    await poolA.query("CREATE TABLE t (id int primary key)");
    await poolA.query("INSERT INTO t VALUES (1)");
    const poolB = new pg.Pool({ host: b.host, port: b.port, user: b.user, database: b.database });
    poolB.on("error", () => {});
    const seen = await poolB.query("SELECT to_regclass('public.t') AS t");
    expect(seen.rows[0].t, "database b must not see database a's table").toBeNull();
    pid = (await poolA.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
    // Close our connections first: a connection cut by the shutdown would be noise, not the point.
    await poolB.end();
    await poolA.end();

    const control = provider.control(a.serverId)!;
    await control.stop();
    const probe = new pg.Client({ host: a.host, port: a.port, user: a.user, database: a.database });
    probe.on("error", () => {});
    await expect(probe.connect(), "connecting while the server is stopped").rejects.toThrow();
    await control.start();
    const again = new pg.Pool({ host: a.host, port: a.port, user: a.user, database: a.database });
    again.on("error", () => {});
    expect((await again.query("SELECT count(*)::int AS n FROM t")).rows[0].n, "data survives a restart").toBe(1);
    await again.end();
  } finally {
    await teardown.run();
  }
  expect(pid).toBeGreaterThan(0);
});
