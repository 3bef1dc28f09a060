import { expect } from "vitest";
import { callsPerSecond, fullScans, graded, oneLine, serve, throughputComparison, withConcurrency } from "../../../harness/testing/index.ts";
import type { ShortenerModule } from "./implementation.ts";
import { baseUrl, expectError, expectRedirect, keepAliveClient, startService } from "./service.ts";

// The planner prices a unique-index lookup at ~8.3 and a sequential scan at no less than
// 0.0125 per row plus 1 per page: from 1,000 rows on, the natural plan uses an index
// whenever one can serve the lookup, and scans the table when none can. (10,000 links
// through HTTP take ~10 s on a small machine, and the plan would be the same.)
const linkCount = 1000;

graded(
  "efficiency.indexed-lookup",
  {
    points: 4,
    timeoutMs: 30_000,
    hint: "Look the code up with WHERE <code column> = $1 on a column with a unique index (the primary key). At most one more statement may count the click.",
  },
  async (t) => {
    const service = await startService(t);
    const client = keepAliveClient(service.server, 50);
    const codes: string[] = [];
    await withConcurrency(linkCount, 50, async (i) => {
      const response = await client.post("/api/links", { url: `https://example.com/bulk/${i}` });
      if (response.status !== 201) expect.fail(`POST /api/links {"url":"https://example.com/bulk/${i}"} answered ${response.status} ${response.body.slice(0, 200)}`);
      codes[i] = (JSON.parse(response.body) as { code: string }).code;
    });
    const admin = t.postgres();
    await admin.query("ANALYZE");
    await (await t.redis()).flushdb(); // nothing cached: both lookups below go to Postgres

    const code = codes[linkCount / 2]!;
    service.pool.traffic.reset();
    expectRedirect(await service.visit(code), `https://example.com/bulk/${linkCount / 2}`, `GET /${code} (uncached)`);
    const known = [...service.pool.traffic.calls];
    service.pool.traffic.reset();
    expectError(await service.visit("nope123"), 404, "NOT_FOUND", "GET /nope123 (uncached, unknown)");
    const unknown = [...service.pool.traffic.calls];

    for (const [what, calls] of [[`GET /${code}`, known], ["GET /nope123", unknown]] as const) {
      expect(calls.length, `SQL statements for an uncached ${what} with ${linkCount} links (${calls.map((c) => oneLine(c.text)).join(" | ")}): the lookup, and at most one write to count the click`).toBeLessThanOrEqual(2);
      for (const call of calls) {
        const scans = await fullScans(admin, call);
        expect(scans, `plan of "${oneLine(call.text)}" (sent for ${what}, table of ${linkCount} links): it reads every row instead of using an index`).toEqual([]);
      }
    }
  },
);

graded(
  "efficiency.cached-round-trips",
  {
    points: 3,
    timeoutMs: 8000,
    hint: "Read the cached link and count the click in one round trip: a pipeline, MULTI/EXEC or one Lua script (EVALSHA). Each await on Redis is a round trip.",
  },
  async (t) => {
    const service = await startService(t);
    const created = await service.createOk({ url: "https://example.com/busy" });
    for (let i = 0; i < 2; i++) await service.visit(created.code); // fill the cache, load any script
    service.redis.traffic.reset();
    for (let i = 0; i < 20; i++) expectRedirect(await service.visit(created.code), "https://example.com/busy", `GET /${created.code}`);
    const { roundTrips, commandNames } = service.redis.traffic;
    expect(roundTrips, `Redis round trips for 20 cached redirects (commands sent: ${[...new Set(commandNames)].join(", ")}), at most 2 each`).toBeLessThanOrEqual(40);
  },
);

/** The JIT (Express, http, ioredis) warms up once per process: the first measurement, always the reference's, warms it longer. */
let firstMeasurement = true;

throughputComparison<ShortenerModule>("efficiency", { name: "cached redirects", unit: "redirects/s" }, async (impl, t) => {
  // The reference and the learner's code run one after the other in one test: start each on an empty database.
  await t.postgres().query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
  await (await t.redis()).flushdb();
  const pool = t.postgres();
  await impl.migrate(pool);
  const server = await serve(impl.createApp({ pg: pool, redis: await t.redis(), baseUrl }));
  const client = keepAliveClient(server, 16);
  const created = await client.post("/api/links", { url: "https://example.com/benchmark" });
  if (created.status !== 201) throw new Error(`POST /api/links answered ${created.status}`);
  const { code } = JSON.parse(created.body) as { code: string };
  const redirect = async () => {
    const response = await client.get(`/${code}`);
    if (response.status !== 302) throw new Error(`GET /${code} answered ${response.status}`);
  };
  await callsPerSecond(firstMeasurement ? 1000 : 300, 16, redirect); // untimed: fills the cache, opens the sockets, warms the JIT
  firstMeasurement = false;
  return callsPerSecond(1000, 16, redirect);
});
