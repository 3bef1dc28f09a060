import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { describeBody, expectError, expectRedirect, expectStatus, instant, isoTimestamp, startService, type Service } from "./service.ts";

/** POSTs each body and insists on `status` with `code`. */
async function expectRejected(service: Service, bodies: unknown[], status: number, code: string): Promise<void> {
  for (const body of bodies) {
    expectError(await service.create(body), status, code, `POST /api/links ${describeBody(body)}`);
  }
}

graded(
  "validation.malformed-body",
  {
    points: 2,
    timeoutMs: 8000,
    hint: "express.json() passes parse errors to the error handler: add one (four arguments) that answers 400 INVALID_BODY in JSON. A body that parses but is not an object is INVALID_BODY too.",
  },
  async (t) => {
    const service = await startService(t);
    for (const raw of ['{"url": "https://example.com/x"', "not json at all", "[]", '["https://example.com/x"]', '"https://example.com/x"', "null", "42"]) {
      const response = await service.http().post("/api/links").set("Content-Type", "application/json").send(raw);
      expectError(response, 400, "INVALID_BODY", `POST /api/links with the JSON body ${raw}`);
    }
    // No body at all is an empty object: the url is what is missing.
    expectError(await service.create(undefined), 400, "INVALID_URL", "POST /api/links without a body");
    expectStatus(await service.create({ url: "https://example.com/still-works" }), 201, "POST /api/links with a valid body after the bad ones");
  },
);

graded("validation.url-required", { points: 1, timeoutMs: 6000, hint: "url must be a non-empty string; anything else is 400 INVALID_URL." }, async (t) => {
  const service = await startService(t);
  await expectRejected(service, [{}, { url: "" }, { url: null }, { url: 42 }, { url: ["https://example.com/x"] }, { url: { href: "https://example.com/x" } }, { alias: "no-url" }], 400, "INVALID_URL");
});

graded(
  "validation.url-scheme",
  {
    points: 3,
    timeoutMs: 10_000,
    hint: "Allow http:// and https:// only, compared case-insensitively on the raw string: new URL() happily parses javascript:, data: and file:.",
  },
  async (t) => {
    const service = await startService(t);
    await expectRejected(
      service,
      [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "JAVASCRIPT:alert(1)",
        "   javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "DATA:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://example.com/file.txt",
        "mailto:someone@example.com",
        "example.com/no-scheme",
        "//example.com/protocol-relative",
        "http://",
        "https://",
      ].map((url) => ({ url })),
      400,
      "INVALID_URL",
    );
    for (const url of ["HTTP://EXAMPLE.COM/UPPER", "Https://example.com/mixed-case", "http://example.net:8080/dev"]) {
      expectStatus(await service.create({ url }), 201, `POST /api/links ${describeBody({ url })} (http and https in any case are fine)`);
    }
  },
);

graded(
  "validation.url-characters",
  { points: 1, timeoutMs: 8000, hint: "Reject any character outside printable ASCII (0x21 to 0x7E) before parsing: new URL() silently drops tabs and newlines, and a CR/LF in Location is header injection." },
  async (t) => {
    const service = await startService(t);
    await expectRejected(
      service,
      [
        "https://example.com/with space",
        " https://example.com/leading-space",
        "https://example.com/trailing-space ",
        "https://example.com/\r\nSet-Cookie: session=stolen",
        "https://example.com/tab\there",
        "https://example.com/new\nline",
        "https://example.com/caf\u00e9",
        "https://example.com/\u2713",
      ].map((url) => ({ url })),
      400,
      "INVALID_URL",
    );
  },
);

graded("validation.url-length", { points: 1, timeoutMs: 6000, hint: "2048 characters is the longest url allowed (inclusive); 2049 is 400 INVALID_URL." }, async (t) => {
  const service = await startService(t);
  const prefix = "https://example.com/";
  const longest = prefix + "a".repeat(2048 - prefix.length);
  const created = await service.createOk({ url: longest });
  expectRedirect(await service.visit(created.code), longest, `GET /${created.code} of a 2048-character URL`);
  await expectRejected(service, [{ url: `${longest}b` }, { url: prefix + "x".repeat(10_000) }], 400, "INVALID_URL");
});

graded(
  "validation.own-host",
  { points: 1, timeoutMs: 6000, hint: "Compare the parsed URL's hostname with baseUrl's hostname; a substring test refuses innocent URLs and misses SHO.RT." },
  async (t) => {
    const service = await startService(t);
    await expectRejected(
      service,
      ["http://sho.rt/abc1234", "https://sho.rt/", "HTTP://SHO.RT/abc1234", "http://sho.rt:80/abc1234"].map((url) => ({ url })),
      400,
      "INVALID_URL",
    );
    for (const url of ["https://sho.rt.example.com/not-us", "https://example.com/?next=http://sho.rt/abc1234"]) {
      expectStatus(await service.create({ url }), 201, `POST /api/links ${describeBody({ url })} (another host)`);
    }
  },
);

graded(
  "validation.alias-format",
  { points: 2, timeoutMs: 10_000, hint: "Match ^[A-Za-z0-9_-]{3,32}$ and refuse api and health in any case: 400 INVALID_ALIAS." },
  async (t) => {
    const service = await startService(t);
    const url = "https://example.com/aliased";
    await expectRejected(
      service,
      ["ab", "a".repeat(33), "has space", "slash/es", "dot.dot", "caf\u00e9", "", 12345, true, "api", "API", "Api", "health", "HEALTH"].map((alias) => ({ url, alias })),
      400,
      "INVALID_ALIAS",
    );
    for (const alias of ["abc", "Z".repeat(32), "A_b-9", "apis", "healthy"]) {
      const created = await service.createOk({ url, alias });
      expect(created.code, `code of a link created with the alias ${JSON.stringify(alias)}`).toBe(alias);
    }
  },
);

graded(
  "validation.alias-taken",
  { points: 1, timeoutMs: 6000, hint: "A taken alias is 409 ALIAS_TAKEN, and the existing link must stay exactly as it was." },
  async (t) => {
    const service = await startService(t);
    await service.createOk({ url: "https://example.com/original", alias: "taken-alias" });
    expectError(await service.create({ url: "https://example.com/intruder", alias: "taken-alias" }), 409, "ALIAS_TAKEN", 'POST /api/links with the alias "taken-alias" a second time');
    expectRedirect(await service.visit("taken-alias"), "https://example.com/original", "GET /taken-alias after the refused second create");
    const generated = await service.createOk({ url: "https://example.com/generated" });
    expectError(await service.create({ url: "https://example.com/intruder", alias: generated.code }), 409, "ALIAS_TAKEN", `POST /api/links with an alias equal to the generated code ${generated.code}`);
    expectRedirect(await service.visit(generated.code), "https://example.com/generated", `GET /${generated.code}`);
  },
);

graded(
  "validation.expires-at",
  { points: 2, timeoutMs: 8000, hint: "expiresAt is null/omitted, or an ISO 8601 date-time string with a zone (Z or ±hh:mm) in the future; anything else is 400 INVALID_EXPIRES_AT." },
  async (t) => {
    const service = await startService(t);
    const url = "https://example.com/expiring";
    await expectRejected(
      service,
      ["tomorrow", "2099-13-01T00:00:00Z", "", "01/02/2099", 4_102_444_800_000, true, "2020-01-01T00:00:00Z", new Date(Date.now() - 1000).toISOString()].map((expiresAt) => ({ url, expiresAt })),
      400,
      "INVALID_EXPIRES_AT",
    );
    const sent = "2099-06-30T23:59:59.999+02:00";
    const created = await service.createOk({ url, expiresAt: sent });
    expect(created.expiresAt, "body.expiresAt: ISO 8601 in UTC").toMatch(isoTimestamp);
    expect(instant(created.expiresAt), `body.expiresAt must be the instant sent (${sent})`).toBe(instant(sent));
    const never = await service.createOk({ url, expiresAt: null });
    expect(never.expiresAt, "body.expiresAt when null was sent").toBeNull();
  },
);

graded(
  "validation.path-codes",
  {
    points: 2,
    timeoutMs: 10_000,
    hint: "The :code in a path is client input, whatever it holds. Postgres refuses text with a NUL byte (a 500 if you let it); check the path against what a code can be and answer 404 NOT_FOUND first.",
  },
  async (t) => {
    const service = await startService(t);
    await service.createOk({ url: "https://example.com/team", alias: "team-page" });
    for (let i = 1; i <= 2; i++) expectRedirect(await service.visit("team-page"), "https://example.com/team", `GET /team-page (${i}), before the odd paths`);
    // As sent on the wire (percent-encoded); the app sees them decoded.
    const paths = [
      "team-page%00",
      "team%00page",
      "%00",
      "team-page%20",
      "%20team-page",
      "team-page%E2%80%8B",
      "TEAM-PAGE",
      "team-page:clicks",
      "team-page%3Alink",
      "team-page%2Fclicks",
      "team-page*",
      "team-page%25",
      "team-page%0D%0ALocation:%20https:%2F%2Fevil.example",
      "%F0%9F%99%82",
      "t%C3%A9am-page",
      "'%20OR%20'1'%3D'1",
      "x".repeat(3000),
    ];
    for (const path of paths) {
      const shown = path.length > 60 ? `${path.slice(0, 20)}… (${path.length} characters)` : path;
      expectError(await service.visit(path), 404, "NOT_FOUND", `GET /${shown}`);
      expectError(await service.stats(path), 404, "NOT_FOUND", `GET /api/links/${shown}`);
      expectError(await service.remove(path), 404, "NOT_FOUND", `DELETE /api/links/${shown}`);
    }
    expectRedirect(await service.visit("team-page"), "https://example.com/team", "GET /team-page after GET, stats and DELETE of paths that only look like it");
    const stats = await service.stats("team-page");
    expectStatus(stats, 200, "GET /api/links/team-page after the odd paths");
    expect(stats.body?.clicks, "clicks of team-page: its own 3 redirects, none of the 404s").toBe(3);
  },
);
