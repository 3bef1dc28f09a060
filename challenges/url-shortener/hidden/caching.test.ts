import { expect, onTestFinished } from "vitest";
import { eventually, gatePool, graded, sentBefore, sleep, withTimingRetries } from "../../../harness/testing/index.ts";
import { afterExpiryMs, beforeExpiryMs, expiryInstant } from "./expiry.ts";
import { commandsInFlight, expectError, expectRedirect, expectStatus, scriptedCodes, show, someoneWaitsOnALock, startService, type Response } from "./service.ts";

graded(
  "caching.no-sql-when-cached",
  {
    points: 4,
    timeoutMs: 8000,
    hint: "Serve a cached redirect from Redis alone, click included: INCR a per-code counter there, and add it to the Postgres count when GET /api/links/:code is read.",
  },
  async (t) => {
    const service = await startService(t);
    const created = await service.createOk({ url: "https://example.com/hot" });
    expectRedirect(await service.visit(created.code), "https://example.com/hot", `GET /${created.code} (first redirect, may fill the cache)`);
    service.pool.traffic.reset();
    for (let i = 2; i <= 11; i++) expectRedirect(await service.visit(created.code), "https://example.com/hot", `GET /${created.code} (redirect ${i})`);
    const statements = service.pool.traffic.statements;
    expect(statements.length, `SQL queries sent during 10 redirects of a cached code (statements: ${[...new Set(statements)].map((s) => s.replace(/\s+/g, " ").trim()).join(" | ")})`).toBe(0);
    const stats = await service.stats(created.code);
    expectStatus(stats, 200, `GET /api/links/${created.code}`);
    expect(stats.body?.clicks, "clicks after 11 redirects, 10 of them served from the cache").toBe(11);
  },
);

graded(
  "caching.respects-expiry",
  {
    points: 3,
    timeoutMs: 15_000,
    hint: "Cap the cache TTL at the time left until expiresAt, to the millisecond (PX or PXAT), or keep expiresAt in the cached entry, in milliseconds, and check it on every hit.",
  },
  async (t) => {
    const service = await startService(t);
    await withTimingRetries(async (attempt) => {
      const expiresAtMs = expiryInstant();
      const expiresAt = new Date(expiresAtMs).toISOString();
      const url = `https://example.com/flash-${attempt}`;
      const created = await service.createOk({ url, expiresAt });
      for (let i = 1; i <= 2; i++) expectRedirect(await service.visit(created.code), url, `GET /${created.code} before it expires (${i})`);
      await sleep(expiresAtMs - beforeExpiryMs - Date.now());
      const visitedAt = Date.now();
      const before = await service.visit(created.code);
      sentBefore(Date.now(), expiresAtMs, `the answer to GET /${created.code} ${beforeExpiryMs} ms before its expiresAt`);
      expectRedirect(before, url, `GET /${created.code}, cached and still live: sent ${expiresAtMs - visitedAt} ms before its expiresAt (${expiresAt}), it`);
      await sleep(expiresAtMs + afterExpiryMs - Date.now());
      expectError(await service.visit(created.code), 410, "GONE", `GET /${created.code} ${afterExpiryMs} ms after its expiresAt (${expiresAt}), having been redirected (and cached) before`);
    });
  },
);

graded(
  "caching.delete-invalidates",
  {
    points: 3,
    timeoutMs: 8000,
    hint: "Before answering 204, replace or delete the cached entry in Redis, which every instance shares. A per-process cache cannot see another instance's delete.",
  },
  async (t) => {
    const one = await startService(t);
    const two = await startService(t, { migrate: false });
    const created = await one.createOk({ url: "https://example.com/short-lived" });
    for (const [name, service] of [["one", one], ["two", two]] as const) {
      expectRedirect(await service.visit(created.code), "https://example.com/short-lived", `GET /${created.code} on instance ${name}`);
    }
    expectStatus(await two.remove(created.code), 204, `DELETE /api/links/${created.code} on instance two`);
    expectError(await one.visit(created.code), 404, "NOT_FOUND", `GET /${created.code} on instance one, right after instance two deleted it`);
    expectError(await two.visit(created.code), 404, "NOT_FOUND", `GET /${created.code} on instance two, right after deleting it`);
  },
);

graded(
  "caching.delete-races-slow-redirect",
  {
    points: 3,
    timeoutMs: 12_000,
    hint: "A redirect read the link from Postgres, the delete then cleared the cache, and the redirect cached what it had read: the deleted link is back. Writers overwrite, readers only fill gaps: the delete leaves a tombstone (not DEL) and a miss fills with SET ... NX.",
  },
  async (t) => {
    const fast = await startService(t);
    const gatedPool = t.postgres();
    const gate = gatePool(gatedPool);
    onTestFinished(() => gate.open()); // before the pools close: a held result keeps its connection
    const slow = await startService(t, { migrate: false, pool: gatedPool });
    const slowCommands = commandsInFlight(slow.redis);
    const admin = t.postgres();
    const created = await fast.createOk({ url: "https://example.com/deleted-while-read" });
    const code = created.code;
    await (await t.redis()).flushdb(); // nothing cached: instance two's redirect must read Postgres

    // Instance two's redirect reads Postgres; its results are held, so it stops before it can write the cache.
    gate.close();
    const slowVisit: Promise<Response> = Promise.resolve(slow.visit(code));
    slowVisit.catch(() => {});
    await eventually(async () => expect(gate.held, `queries instance two sent to Postgres for GET /${code} (their results are held back)`).toBeGreaterThan(0), { timeoutMs: 3000 });

    // Instance one deletes the link meanwhile. The reader is released once the delete has answered, or
    // once the delete waits for a lock the reader holds (a design that locks the row while it fills the cache).
    let answered = false;
    const removal: Promise<Response> = Promise.resolve(fast.remove(code));
    removal.then(
      () => (answered = true),
      () => (answered = true),
    );
    const deadline = performance.now() + 5000;
    while (!answered && !(await someoneWaitsOnALock(admin))) {
      if (performance.now() > deadline) {
        expect.fail(`DELETE /api/links/${code} on instance one did not answer within 5 s while a redirect on instance two was held between its Postgres read and its cache write: a delete must not wait for redirects in flight`);
      }
      await sleep(10);
    }
    gate.open();
    expectStatus(await removal, 204, `DELETE /api/links/${code} on instance one, while instance two's redirect had read the link`);
    const slowAnswer = await slowVisit;
    expect([302, 404], `GET /${code} on instance two, which read the link before the delete (302 or 404 are both fine for it): answered ${show(slowAnswer)}`).toContain(slowAnswer.status);
    // Whatever instance two sends to Redis after answering (a fill sent without awaiting it) lands before the checks.
    await eventually(async () => expect(slowCommands.count, "Redis commands of instance two still unanswered").toBe(0), { timeoutMs: 3000 });

    for (let round = 1; round <= 2; round++) {
      for (const [name, service] of [["two", slow], ["one", fast]] as const) {
        expectError(
          await service.visit(code),
          404,
          "NOT_FOUND",
          `GET /${code} on instance ${name} (request ${round}), after the DELETE answered 204 and a redirect that had read the link from Postgres before it finished`,
        );
      }
    }
  },
);

graded(
  "caching.create-after-miss",
  {
    points: 2,
    timeoutMs: 8000,
    hint: "If you cache \"unknown\", creating that code must overwrite the entry (write the new link into the cache, or delete the entry) before answering 201.",
  },
  async (t) => {
    const codes = scriptedCodes("Soon123");
    const one = await startService(t);
    const two = await startService(t, { migrate: false, generateCode: codes.generateCode });
    for (const [name, service] of [["one", one], ["two", two]] as const) {
      expectError(await service.visit("coming-soon"), 404, "NOT_FOUND", `GET /coming-soon on instance ${name}, before it exists`);
      expectError(await service.visit("Soon123"), 404, "NOT_FOUND", `GET /Soon123 on instance ${name}, before it exists`);
    }
    const generated = await two.createOk({ url: "https://example.com/generated" });
    expect(generated.code, "code of the link (generateCode returned Soon123)").toBe("Soon123");
    await two.createOk({ url: "https://example.com/aliased", alias: "coming-soon" });
    for (const [name, service] of [["one", one], ["two", two]] as const) {
      expectRedirect(await service.visit("coming-soon"), "https://example.com/aliased", `GET /coming-soon on instance ${name}, right after it was created`);
      expectRedirect(await service.visit("Soon123"), "https://example.com/generated", `GET /Soon123 on instance ${name}, right after it was created`);
    }
  },
);
