import { expect } from "vitest";
import { graded, sentBefore, sleep, withTimingRetries } from "../../../harness/testing/index.ts";
import { afterExpiryMs, beforeExpiryMs, expiryInstant } from "./expiry.ts";
import { describeBody, expectError, expectRedirect, expectStatus, show, startService } from "./service.ts";

graded(
  "redirects.exact-location",
  {
    points: 3,
    timeoutMs: 10_000,
    hint: "Store the URL as sent and put it in Location unchanged: new URL(url).href normalizes it, and res.redirect()/res.location() percent-encode characters such as { and }.",
  },
  async (t) => {
    const service = await startService(t);
    const urls = [
      "https://example.com",
      "HTTPS://Example.COM:443/A/./b/../C?Q=1&q=%2f%2F&empty=&flag#Frag",
      "https://example.com/path%20with%20spaces/%E2%9C%93/?next=https%3A%2F%2Fother.example%2F%3Fa%3Db#section-2",
      "http://user:pa%24s@example.com:8080/~tilde/%7Etilde/it's(1)*!;a=b,c?q=it's&list[]=1&list[]=2",
      "https://example.com/t?q={x}|y^z",
      "https://example.com/empty-fragment#",
      "https://EXAMPLE.com/a//double//slashes/?",
    ];
    for (const url of urls) {
      const created = await service.createOk({ url });
      expect(created.url, `body.url of POST /api/links ${describeBody({ url })}: the URL as sent`).toBe(url);
      expectRedirect(await service.visit(created.code), url, `GET /${created.code} (created for ${url})`);
      expect((await service.stats(created.code)).body?.url, `url in GET /api/links/${created.code}`).toBe(url);
    }
  },
);

graded(
  "redirects.not-cacheable",
  {
    points: 2,
    timeoutMs: 6000,
    hint: "Answer 302, not 301, and send Cache-Control: no-store (or private, no-cache / max-age=0): a browser that caches the redirect never comes back, so its clicks are never counted.",
  },
  async (t) => {
    const service = await startService(t);
    const created = await service.createOk({ url: "https://example.com/counted" });
    for (let i = 1; i <= 2; i++) {
      const response = await service.visit(created.code);
      expect(response.status, `GET /${created.code} (visit ${i}) answered ${show(response)}: a 302 (301 is cached by browsers)`).toBe(302);
      const cacheControl = String(response.headers["cache-control"] ?? "");
      expect(cacheControl, `Cache-Control of the redirect (visit ${i}) must stop browsers from reusing it`).toMatch(/no-store|no-cache|max-age=0\b/i);
      expect(cacheControl, "Cache-Control of the redirect must not allow caching").not.toMatch(/public|(?:s-)?max-age=0*[1-9]/i);
    }
  },
);

graded(
  "redirects.counts-clicks",
  { points: 2, timeoutMs: 8000, hint: "Count each redirect before answering it, and add every place a click may be counted when you answer GET /api/links/:code." },
  async (t) => {
    const service = await startService(t);
    const a = await service.createOk({ url: "https://example.com/a" });
    const b = await service.createOk({ url: "https://example.com/b" });
    for (let i = 0; i < 5; i++) expectRedirect(await service.visit(a.code), "https://example.com/a", `GET /${a.code}`);
    for (let i = 0; i < 2; i++) expectRedirect(await service.visit(b.code), "https://example.com/b", `GET /${b.code}`);
    for (let i = 0; i < 3; i++) expectError(await service.visit("unknown1"), 404, "NOT_FOUND", "GET /unknown1");
    for (const [link, clicks] of [[a, 5], [b, 2]] as const) {
      const stats = await service.stats(link.code);
      expectStatus(stats, 200, `GET /api/links/${link.code}`);
      expect(stats.body?.clicks, `clicks of ${link.code} after ${clicks} redirects whose responses were received`).toBe(clicks);
    }
    expect((await service.stats(a.code)).body?.clicks, "reading the stats again must not count a click").toBe(5);
  },
);

graded(
  "redirects.expired",
  { points: 2, timeoutMs: 15_000, hint: "Compare expiresAt with the current time, to the millisecond, on every redirect: from that instant on answer 410 GONE, and not a moment before; the link itself stays." },
  async (t) => {
    const service = await startService(t);
    const later = await service.createOk({ url: "https://example.com/later", expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    await withTimingRetries(async (attempt) => {
      const expiresAtMs = expiryInstant();
      const expiresAt = new Date(expiresAtMs).toISOString();
      // Two links expiring at the same instant: one visited just before it, one only after it (never cached before).
      const early = await service.createOk({ url: `https://example.com/flash-sale-${attempt}/early`, expiresAt });
      const soon = await service.createOk({ url: `https://example.com/flash-sale-${attempt}`, expiresAt });
      expectRedirect(await service.visit(later.code), "https://example.com/later", `GET /${later.code} (expires in an hour)`);
      expectStatus(await service.stats(soon.code), 200, `GET /api/links/${soon.code} before it expires`);
      await sleep(expiresAtMs - beforeExpiryMs - Date.now());
      const visitedAt = Date.now();
      const before = await service.visit(early.code);
      sentBefore(Date.now(), expiresAtMs, `the answer to GET /${early.code} ${beforeExpiryMs} ms before its expiresAt`);
      expectRedirect(before, early.url, `GET /${early.code}, still live: sent ${expiresAtMs - visitedAt} ms before its expiresAt (${expiresAt}), it`);
      await sleep(expiresAtMs + afterExpiryMs - Date.now());
      expectError(await service.visit(soon.code), 410, "GONE", `GET /${soon.code} ${afterExpiryMs} ms after its expiresAt (${expiresAt})`);
      expectError(await service.visit(soon.code), 410, "GONE", `GET /${soon.code} again`);
      expectRedirect(await service.visit(later.code), "https://example.com/later", `GET /${later.code}, which has not expired`);
    });
  },
);

graded(
  "redirects.delete",
  { points: 2, timeoutMs: 6000, hint: "DELETE answers 204 with no body; afterwards the code is 404 everywhere, including a second DELETE." },
  async (t) => {
    const service = await startService(t);
    const doomed = await service.createOk({ url: "https://example.com/doomed" });
    const kept = await service.createOk({ url: "https://example.com/kept" });
    const deleted = await service.remove(doomed.code);
    expectStatus(deleted, 204, `DELETE /api/links/${doomed.code}`);
    expect(deleted.text ?? "", "body of the 204").toBe("");
    expectError(await service.visit(doomed.code), 404, "NOT_FOUND", `GET /${doomed.code} after DELETE`);
    expectError(await service.stats(doomed.code), 404, "NOT_FOUND", `GET /api/links/${doomed.code} after DELETE`);
    expectError(await service.remove(doomed.code), 404, "NOT_FOUND", `DELETE /api/links/${doomed.code} a second time`);
    expectError(await service.remove("never01"), 404, "NOT_FOUND", "DELETE /api/links/never01 (never created)");
    expectRedirect(await service.visit(kept.code), "https://example.com/kept", `GET /${kept.code} (another link)`);
  },
);
