import { expect } from "vitest";
import { eventually, graded, untilDisconnected, withoutUnhandledRejections } from "../../../harness/testing/index.ts";
import { expectError, expectRedirect, expectStatus, startService } from "./service.ts";

graded(
  "resilience.redirects-without-redis",
  {
    points: 4,
    timeoutMs: 10_000,
    hint: "Catch every Redis error on the redirect path and answer from Postgres instead. Don't wait for a reconnection: the injected client rejects at once while Redis is down.",
  },
  async (t) => {
    const service = await startService(t);
    const cached = await service.createOk({ url: "https://example.com/cached" });
    const cold = await service.createOk({ url: "https://example.com/cold" });
    const deleted = await service.createOk({ url: "https://example.com/deleted" });
    expectRedirect(await service.visit(cached.code), "https://example.com/cached", `GET /${cached.code} while Redis is up`);
    expectStatus(await service.remove(deleted.code), 204, `DELETE /api/links/${deleted.code} while Redis is up`);

    await t.faults("redis").stop();
    await untilDisconnected(service.redis);
    await withoutUnhandledRejections(async () => {
      for (let i = 1; i <= 3; i++) {
        expectRedirect(await service.visit(cached.code).timeout(2000), "https://example.com/cached", `GET /${cached.code} with Redis stopped (${i})`);
      }
      expectRedirect(await service.visit(cold.code).timeout(2000), "https://example.com/cold", `GET /${cold.code} (never redirected before) with Redis stopped`);
      expectError(await service.visit(deleted.code).timeout(2000), 404, "NOT_FOUND", `GET /${deleted.code} (deleted) with Redis stopped`);
      expectError(await service.visit("unknown1").timeout(2000), 404, "NOT_FOUND", "GET /unknown1 with Redis stopped");
    });
  },
);

graded(
  "resilience.recovers",
  {
    points: 3,
    timeoutMs: 15_000,
    hint: "Never remember that Redis failed: try it again on every request. A restarted Redis is empty (no keys, no scripts), so refill the cache from Postgres.",
  },
  async (t) => {
    const service = await startService(t);
    const created = await service.createOk({ url: "https://example.com/comeback" });
    expectRedirect(await service.visit(created.code), "https://example.com/comeback", `GET /${created.code} while Redis is up`);

    const faults = t.faults("redis");
    await faults.stop();
    await untilDisconnected(service.redis);
    // Whatever these answer is graded elsewhere; they let an implementation notice the outage.
    for (let i = 0; i < 3; i++) await service.visit(created.code).timeout(2000).catch(() => undefined);
    await faults.start();

    await eventually(
      async () => {
        expectRedirect(await service.visit(created.code).timeout(2000), "https://example.com/comeback", `GET /${created.code} after Redis restarted`);
        service.pool.traffic.reset();
        expectRedirect(await service.visit(created.code).timeout(2000), "https://example.com/comeback", `GET /${created.code} again after Redis restarted`);
        expect(service.pool.traffic.queries, "SQL queries for a redirect that should be cached again, once Redis is back").toBe(0);
      },
      { timeoutMs: 8000, intervalMs: 100 },
    );
  },
);
