import pg from "pg";
import { expect, test } from "vitest";
import { LocalProvider } from "../services/local/local-provider.ts";
import { pauseReplay, replicationPositions, resumeReplay, waitForReplay } from "../services/replication-admin.ts";
import { Teardown } from "../services/teardown.ts";
import type { PostgresTarget, ReplicatedPostgresTarget } from "../services/types.ts";
import { serversUnder } from "./no-leftover-processes.ts";

const pool = (target: PostgresTarget) => {
  const created = new pg.Pool({ host: target.host, port: target.port, user: target.user, database: target.database, connectionTimeoutMillis: 3000 });
  created.on("error", () => {}); // idle connections die when a server stops below
  return created;
};

const lsnValue = (lsn: string) => {
  const [high, low] = lsn.split("/");
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
};

test("the local provider starts a primary with a streaming replica, pauses replay, stops the replica, and leaves nothing behind", async () => {
  const teardown = new Teardown();
  const provider = new LocalProvider(teardown);
  try {
    const started = performance.now();
    await provider.start(["replicated-postgres"]);
    const shared = (await provider.allocate("replicated-postgres", { exclusive: false })) as ReplicatedPostgresTarget;
    const own = (await provider.allocate("replicated-postgres", { exclusive: true })) as ReplicatedPostgresTarget;
    expect(performance.now() - started, "two pairs, template included").toBeLessThan(20_000);
    expect(provider.versions()["replicated-postgres"]).toMatch(/^\d+/);
    expect(own.primary.serverId, "an exclusive pair is a pair of its own").not.toBe(shared.primary.serverId);
    expect(own.replica.port).not.toBe(own.primary.port);
    expect(serversUnder(process.pid).length, "two pairs of postmasters (and their children)").toBeGreaterThanOrEqual(4);

    const primary = pool(own.primary);
    const replica = pool(own.replica);
    expect((await replica.query("SELECT pg_is_in_recovery() AS r")).rows[0].r, "the replica is a standby").toBe(true);
    expect((await primary.query("SELECT pg_is_in_recovery() AS r")).rows[0].r).toBe(false);
    await expect(replica.query("CREATE TABLE nope (id int)"), "the replica refuses writes").rejects.toThrow(/read-only/);

    // Replication: a write on the primary shows up on the replica.
    await primary.query("CREATE TABLE t (id int primary key, v text)");
    await primary.query("INSERT INTO t VALUES (1, 'one')");
    await waitForReplay(own.primary, own.replica);
    expect((await replica.query("SELECT v FROM t WHERE id = 1")).rows[0]?.v).toBe("one");

    // Paused replay: the replica keeps its old snapshot while the primary moves on, and its LSN stands still.
    await pauseReplay(own.replica);
    await primary.query("UPDATE t SET v = 'two' WHERE id = 1");
    const lagging = await replicationPositions(own.primary, own.replica);
    expect(lsnValue(lagging.primary)).toBeGreaterThan(lsnValue(lagging.replica!));
    expect((await replica.query("SELECT v FROM t WHERE id = 1")).rows[0]?.v, "replay is paused").toBe("one");
    await resumeReplay(own.replica);
    await waitForReplay(own.primary, own.replica);
    expect((await replica.query("SELECT v FROM t WHERE id = 1")).rows[0]?.v).toBe("two");

    // The replica stops and starts on its own; the primary takes writes meanwhile and the replica catches up.
    await replica.end();
    const control = provider.control(own.replica.serverId)!;
    await control.stop();
    await expect(pool(own.replica).query("SELECT 1"), "connecting while the replica is stopped").rejects.toThrow();
    await primary.query("UPDATE t SET v = 'three' WHERE id = 1");
    await control.start();
    await waitForReplay(own.primary, own.replica);
    const again = pool(own.replica);
    expect((await again.query("SELECT v FROM t WHERE id = 1")).rows[0]?.v, "the replica caught up after a restart").toBe("three");
    await again.end();

    // The shared pair is another cluster: it never saw this table.
    const other = pool(shared.replica);
    expect((await other.query("SELECT to_regclass('public.t') AS t")).rows[0].t).toBeNull();
    await other.end();
    await primary.end();
  } finally {
    await teardown.run();
  }
  expect(serversUnder(process.pid), "servers after teardown").toEqual([]);
});

test("the url provider uses a primary and replica you run (DATABASE_URL, DATABASE_REPLICA_URL) and drops its database", async () => {
  const { UrlProvider } = await import("../services/url/url-provider.ts");
  const teardown = new Teardown();
  const local = new LocalProvider(teardown);
  try {
    const servers = (await local.allocate("replicated-postgres", { exclusive: true })) as ReplicatedPostgresTarget;
    const url = (target: PostgresTarget) => `postgres://${target.user}@${target.host}:${target.port}/postgres`;
    const mine = new Teardown();
    const wrongWay = new UrlProvider(mine, undefined, url(servers.replica), url(servers.primary));
    await expect(wrongWay.start(["replicated-postgres"]), "a replica URL that is not a standby").rejects.toThrow(/not a standby/);
    const provider = new UrlProvider(mine, undefined, url(servers.primary), url(servers.replica));
    await provider.start(["replicated-postgres"]);
    const pair = (await provider.allocate("replicated-postgres", { exclusive: false })) as ReplicatedPostgresTarget;
    expect(pair.exclusive).toBe(false);
    const replica = pool(pair.replica);
    expect((await replica.query("SELECT current_database() AS db")).rows[0].db, "the new database reached the replica").toBe(pair.replica.database);
    await replica.end();
    await mine.run();
    await waitForReplay(servers.primary, servers.replica);
    const left = pool(servers.primary);
    expect((await left.query("SELECT count(*)::int AS n FROM pg_database WHERE datname = $1", [pair.primary.database])).rows[0].n, "database dropped").toBe(0);
    await left.end();
  } finally {
    await teardown.run();
  }
});
