import { expect } from "vitest";
import { graded, sentBefore, sleep, withTimingRetries } from "../../../harness/testing/index.ts";
import { afterExpiryMs, beforeExpiryMs, expiryInstant } from "./expiry.ts";
import { expectError, expectRedirect, expectStatus, scriptedCodes, startService } from "./service.ts";

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
