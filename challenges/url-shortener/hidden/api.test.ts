import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { load } from "./implementation.ts";
import { baseUrl, codePattern, expectError, expectRedirect, expectStatus, instant, isoTimestamp, show, startService } from "./service.ts";

graded(
  "api.creates-link",
  { points: 3, timeoutMs: 6000, hint: "Answer 201 with { code, shortUrl, url, createdAt, expiresAt } and a Location header holding shortUrl; expiresAt is null when none was given." },
  async (t) => {
    const service = await startService(t);
    const url = "https://example.com/articles/42?ref=home";
    const before = Date.now();
    const response = await service.create({ url });
    const after = Date.now();
    expectStatus(response, 201, `POST /api/links {"url":"${url}"}`);
    expect(String(response.headers["content-type"] ?? ""), "Content-Type of the 201").toMatch(/application\/json/);
    const body = response.body;
    expect(body?.code, `body.code of ${show(response)}: 7 characters of [0-9A-Za-z]`).toMatch(codePattern);
    expect(body.shortUrl, "body.shortUrl: baseUrl + \"/\" + code").toBe(`${baseUrl}/${body.code}`);
    expect(body.url, "body.url: the URL as sent").toBe(url);
    expect(body.expiresAt, "body.expiresAt when none was given").toBeNull();
    expect(body.createdAt, "body.createdAt: an ISO 8601 timestamp in UTC, as Date.prototype.toISOString() writes it").toMatch(isoTimestamp);
    expect(instant(body.createdAt), "body.createdAt: the time the link was created").toBeGreaterThanOrEqual(before - 5000);
    expect(instant(body.createdAt), "body.createdAt: the time the link was created").toBeLessThanOrEqual(after + 5000);
    expect(response.headers.location, "Location header of the 201: the short URL").toBe(body.shortUrl);
  },
);

graded("api.redirects", { points: 2, timeoutMs: 6000, hint: "GET /:code answers 302 with the stored URL in Location." }, async (t) => {
  const service = await startService(t);
  const first = await service.createOk({ url: "https://example.com/first" });
  const second = await service.createOk({ url: "https://example.org/second?page=2" });
  expect(second.code, "two links get two codes").not.toBe(first.code);
  expectRedirect(await service.visit(first.code), "https://example.com/first", `GET /${first.code}`);
  expectRedirect(await service.visit(second.code), "https://example.org/second?page=2", `GET /${second.code}`);
  expectRedirect(await service.visit(first.code), "https://example.com/first", `GET /${first.code} again`);
});

graded(
  "api.link-stats",
  { points: 2, timeoutMs: 6000, hint: "GET /api/links/:code answers 200 with { code, url, clicks, createdAt, expiresAt }; clicks is a number (pg returns bigint columns as strings)." },
  async (t) => {
    const service = await startService(t);
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await service.createOk({ url: "https://example.com/stats", expiresAt });
    const response = await service.stats(created.code);
    expectStatus(response, 200, `GET /api/links/${created.code}`);
    expect(String(response.headers["content-type"] ?? ""), "Content-Type").toMatch(/application\/json/);
    const body = response.body;
    expect(body?.code, `body.code of ${show(response)}`).toBe(created.code);
    expect(body.url, "body.url").toBe("https://example.com/stats");
    expect(body.clicks, "body.clicks of a link nobody visited yet (a number)").toBe(0);
    expect(body.createdAt, "body.createdAt: ISO 8601 in UTC").toMatch(isoTimestamp);
    expect(instant(body.createdAt), `body.createdAt, the same instant as POST answered (${created.createdAt})`).toBe(instant(created.createdAt));
    expect(body.expiresAt, "body.expiresAt: ISO 8601 in UTC").toMatch(isoTimestamp);
    expect(instant(body.expiresAt), `body.expiresAt, the instant that was sent (${expiresAt})`).toBe(instant(expiresAt));
  },
);

graded(
  "api.custom-alias",
  { points: 2, timeoutMs: 6000, hint: "With an alias, the alias is the code. Codes are case-sensitive: store and compare them exactly." },
  async (t) => {
    const service = await startService(t);
    const sale = await service.createOk({ url: "https://shop.example.com/sale", alias: "spring-sale_2025" });
    expect(sale.code, "body.code when an alias was given").toBe("spring-sale_2025");
    expect(sale.shortUrl, "body.shortUrl").toBe(`${baseUrl}/spring-sale_2025`);
    expectRedirect(await service.visit("spring-sale_2025"), "https://shop.example.com/sale", "GET /spring-sale_2025");
    const upper = await service.createOk({ url: "https://example.com/upper", alias: "Launch" });
    const lower = await service.createOk({ url: "https://example.com/lower", alias: "launch" });
    expect([upper.code, lower.code], "aliases Launch and launch are two different codes").toEqual(["Launch", "launch"]);
    expectRedirect(await service.visit("Launch"), "https://example.com/upper", "GET /Launch");
    expectRedirect(await service.visit("launch"), "https://example.com/lower", "GET /launch");
  },
);

graded("api.unknown-code", { points: 1, timeoutMs: 6000, hint: 'An unknown code is 404 with { "error": { "code": "NOT_FOUND", "message": "..." } }.' }, async (t) => {
  const service = await startService(t);
  await service.createOk({ url: "https://example.com/known", alias: "known-one" });
  expectError(await service.visit("nope123"), 404, "NOT_FOUND", "GET /nope123 (never created)");
  expectError(await service.visit("Known-one"), 404, "NOT_FOUND", "GET /Known-one (only known-one exists)");
  expectError(await service.stats("nope123"), 404, "NOT_FOUND", "GET /api/links/nope123");
});

graded(
  "api.random-codes",
  { points: 2, timeoutMs: 10_000, hint: "Draw each of the 7 characters uniformly from all 62 with crypto.randomInt; a counter, a timestamp or a hash of the URL is guessable." },
  async (t) => {
    const service = await startService(t);
    const codes: string[] = [];
    for (let i = 0; i < 60; i++) codes.push((await service.createOk({ url: `https://example.com/page/${i}` })).code);
    for (const code of codes) expect(code, "every generated code").toMatch(codePattern);
    expect(new Set(codes).size, "distinct codes among 60 links").toBe(60);
    // Random codes differ in ~6.9 of 7 positions; a counter in base62 differs in ~1.
    let differing = 0;
    for (let i = 1; i < codes.length; i++) {
      for (let p = 0; p < 7; p++) if (codes[i]![p] !== codes[i - 1]![p]) differing++;
    }
    const average = differing / (codes.length - 1);
    expect(average, `positions in which each code differs from the previous one, on average (codes in order: ${codes.slice(0, 6).join(", ")}, ...): they look sequential`).toBeGreaterThanOrEqual(5);
    const characters = new Set(codes.join(""));
    expect(characters.size, `distinct characters used across 60 codes (${[...characters].sort().join("")}): codes should draw from all 62`).toBeGreaterThanOrEqual(40);
    for (const [name, pattern] of [["digits", /[0-9]/], ["uppercase letters", /[A-Z]/], ["lowercase letters", /[a-z]/]] as const) {
      expect(pattern.test(codes.join("")), `60 codes should contain ${name}`).toBe(true);
    }
  },
);

graded(
  "api.migrate-idempotent",
  { points: 2, timeoutMs: 6000, hint: "Use CREATE TABLE IF NOT EXISTS (and IF NOT EXISTS on indexes): migrate runs on every start, and must keep the data." },
  async (t) => {
    const { migrate } = await load(t);
    const service = await startService(t);
    const created = await service.createOk({ url: "https://example.com/survives" });
    for (const time of ["a second", "a third"]) {
      const failure = await migrate(service.pool).then(
        () => undefined,
        (error: unknown) => String(error),
      );
      expect(failure, `migrate(pool) ${time} time on a database that already has the schema and a link should succeed`).toBeUndefined();
    }
    expectRedirect(await service.visit(created.code), "https://example.com/survives", `GET /${created.code} after migrating again`);
    expectStatus(await service.stats(created.code), 200, `GET /api/links/${created.code} after migrating again`);
  },
);
