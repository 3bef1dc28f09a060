import request from "supertest";
import type { Request } from "express";
import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { appWith } from "./app.ts";
import { load } from "./implementation.ts";

graded("http.ratelimit-headers", { points: 2, hint: 'Send RateLimit-Policy: "default";q=<limit>;w=<window s> and RateLimit: "default";r=<remaining>;t=<reset s>, seconds rounded up.' }, async (t) => {
  const { createRateLimiter, rateLimit } = await load(t);
  const limiter = createRateLimiter({ redis: await t.redis(), limit: 3, windowMs: 1500 });
  const { app, handled } = appWith(rateLimit(limiter));
  const first = await request(app).get("/resource");
  expect(first.status, "status of the first request").toBe(200);
  expect(first.body, "the route's own body").toEqual({ ok: true });
  expect(first.headers["ratelimit-policy"], "RateLimit-Policy (window 1500 ms rounds up to 2 s)").toBe('"default";q=3;w=2');
  expect(first.headers["ratelimit"], "RateLimit after the first of 3").toBe('"default";r=2;t=2');
  const second = await request(app).get("/resource");
  expect(second.headers["ratelimit"], "RateLimit after the second request from the same IP (keyed on req.ip by default)").toBe('"default";r=1;t=2');
  expect(handled.count, "requests that reached the route").toBe(2);
});

graded("http.rejects-with-429", { points: 3, hint: "On deny: 429, Retry-After in whole seconds rounded up (at least 1), and the JSON error body; never call next()." }, async (t) => {
  const { createRateLimiter, rateLimit } = await load(t);
  const windowMs = 2500;
  const limiter = createRateLimiter({ redis: await t.redis(), limit: 2, windowMs });
  const { app, handled } = appWith(rateLimit(limiter));
  const sent = performance.now();
  await request(app).get("/resource");
  await request(app).get("/resource");
  const denied = await request(app).get("/resource");
  const answeredBy = performance.now();
  expect(denied.status, "status of the request over the limit").toBe(429);
  expect(handled.count, "requests that reached the route").toBe(2);
  expect(denied.headers["content-type"] ?? "", "Content-Type of the 429").toMatch(/application\/json/);
  expect(denied.body?.error?.code, "body.error.code").toBe("RATE_LIMITED");
  expect(typeof denied.body?.error?.message, "body.error.message should be a string").toBe("string");
  const retryAfterMs = denied.body?.error?.retryAfterMs;
  expect(typeof retryAfterMs, "body.error.retryAfterMs should be a number").toBe("number");
  expect(retryAfterMs, "body.error.retryAfterMs: the first admission leaves the window about 2.5 s after it was made").toBeLessThanOrEqual(windowMs);
  expect(retryAfterMs, "body.error.retryAfterMs").toBeGreaterThanOrEqual(sent + windowMs - answeredBy - 1);
  const retryAfter = denied.headers["retry-after"];
  expect(retryAfter, "Retry-After header in whole seconds").toMatch(/^\d+$/);
  expect(Number(retryAfter) * 1000, "Retry-After must not be earlier than the real admission time (round up)").toBeGreaterThanOrEqual(retryAfterMs);
  expect(Number(retryAfter), "Retry-After in seconds").toBeLessThanOrEqual(Math.ceil(retryAfterMs / 1000));
  expect(denied.headers["ratelimit"], "RateLimit on the 429").toMatch(/^"default";r=0;t=\d+$/);
});

graded("http.custom-key", { points: 1 }, async (t) => {
  const { createRateLimiter, rateLimit } = await load(t);
  const limiter = createRateLimiter({ redis: await t.redis(), limit: 1, windowMs: 60_000 });
  const { app } = appWith(rateLimit(limiter, { keyOf: (req) => req.get("x-api-key") ?? "anonymous" }));
  expect((await request(app).get("/resource").set("x-api-key", "alpha")).status, "alpha's first request").toBe(200);
  expect((await request(app).get("/resource").set("x-api-key", "alpha")).status, "alpha's second request (limit 1)").toBe(429);
  expect((await request(app).get("/resource").set("x-api-key", "beta")).status, "beta's first request, same IP, other key").toBe(200);
});

graded("http.policy-name", { points: 1 }, async (t) => {
  const { createRateLimiter, rateLimit } = await load(t);
  const limiter = createRateLimiter({ redis: await t.redis(), limit: 10, windowMs: 60_000 });
  const { app } = appWith(rateLimit(limiter, { policyName: "burst" }));
  const response = await request(app).get("/resource");
  expect(response.headers["ratelimit-policy"], "RateLimit-Policy with policyName").toBe('"burst";q=10;w=60');
  expect(response.headers["ratelimit"], "RateLimit with policyName").toBe('"burst";r=9;t=60');
});

/** Every header a client can send to claim another address; none of them may pick the limit by default. */
function claimedAddress(address: string): Record<string, string> {
  return {
    "X-Forwarded-For": address,
    "X-Real-IP": address,
    Forwarded: `for=${address};proto=https`,
    "X-Client-IP": address,
    "Client-IP": address,
    "True-Client-IP": address,
    "CF-Connecting-IP": address,
    "Fastly-Client-IP": address,
    "X-Cluster-Client-IP": address,
    "X-Forwarded": `for=${address}`,
    "Forwarded-For": address,
    "X-Originating-IP": address,
  };
}

graded(
  "http.ignores-client-headers",
  {
    points: 2,
    hint: "Headers are client input. By default key on req.ip: with no 'trust proxy' setting it is the socket's address, whatever X-Forwarded-For, X-Real-IP or Forwarded claim.",
  },
  async (t) => {
    const { createRateLimiter, rateLimit } = await load(t);
    const limiter = createRateLimiter({ redis: await t.redis(), limit: 3, windowMs: 60_000 });
    const { app, handled } = appWith(rateLimit(limiter));
    const statuses: string[] = [];
    for (let i = 1; i <= 6; i++) {
      const address = `198.51.100.${i}`;
      const response = await request(app).get("/resource").set(claimedAddress(address));
      statuses.push(`${address}: ${response.status}`);
    }
    expect(
      statuses,
      "six requests from one socket address (the app trusts no proxy), each claiming another address in X-Forwarded-For, X-Real-IP, Forwarded and other client headers: one limit of 3",
    ).toEqual(["198.51.100.1: 200", "198.51.100.2: 200", "198.51.100.3: 200", "198.51.100.4: 429", "198.51.100.5: 429", "198.51.100.6: 429"]);
    expect(handled.count, "requests that reached the route").toBe(3);
  },
);

graded(
  "http.trust-proxy",
  {
    points: 2,
    hint: "Behind a proxy the app sets Express's 'trust proxy'; req.ip is then the address the proxy reported (the last X-Forwarded-For entry it appended), not the first entry, which the client wrote itself.",
  },
  async (t) => {
    const { createRateLimiter, rateLimit } = await load(t);
    const limiter = createRateLimiter({ redis: await t.redis(), limit: 2, windowMs: 60_000 });
    // The test plays the proxy: it connects from loopback, which the app trusts, and appends the client's address.
    const { app, handled } = appWith(rateLimit(limiter), { trustProxy: "loopback" });
    const viaProxy = (clientAddress: string, claimed?: string) => {
      const chain = claimed === undefined ? clientAddress : `${claimed}, ${clientAddress}`;
      return request(app)
        .get("/resource")
        .set({ ...(claimed === undefined ? {} : claimedAddress(claimed)), "X-Forwarded-For": chain });
    };
    const seen: string[] = [];
    const record = async (what: string, pending: ReturnType<typeof viaProxy>) => seen.push(`${what}: ${(await pending).status}`);
    await record("203.0.113.7", viaProxy("203.0.113.7"));
    await record("203.0.113.7 claiming 10.0.0.1", viaProxy("203.0.113.7", "10.0.0.1"));
    await record("203.0.113.7 claiming 10.0.0.2", viaProxy("203.0.113.7", "10.0.0.2"));
    await record("198.51.100.9 claiming 203.0.113.7", viaProxy("198.51.100.9", "203.0.113.7"));
    await record("198.51.100.9", viaProxy("198.51.100.9"));
    await record("198.51.100.9 claiming 10.0.0.3", viaProxy("198.51.100.9", "10.0.0.3"));
    await record("the proxy itself (no X-Forwarded-For)", request(app).get("/resource"));
    expect(
      seen,
      "requests through a trusted proxy (app.set('trust proxy', 'loopback')), limit 2: X-Forwarded-For is '<what the client sent>, <client address the proxy appended>'; each client address has its own limit, whatever the client claims",
    ).toEqual([
      "203.0.113.7: 200",
      "203.0.113.7 claiming 10.0.0.1: 200",
      "203.0.113.7 claiming 10.0.0.2: 429",
      "198.51.100.9 claiming 203.0.113.7: 200",
      "198.51.100.9: 200",
      "198.51.100.9 claiming 10.0.0.3: 429",
      "the proxy itself (no X-Forwarded-For): 200",
    ]);
    expect(handled.count, "requests that reached the route").toBe(5);
  },
);

graded(
  "http.invalid-key",
  {
    points: 1,
    hint: "A key consume() refuses (keyOf returned \"\", for an empty header) is not Redis failing: never admit the request, fail-open or not. Pass the error to next(error), as when keyOf throws.",
  },
  async (t) => {
    const { createRateLimiter, rateLimit } = await load(t);
    const redis = await t.redis();
    const keyOf = (req: Request) => {
      const key = req.get("x-api-key");
      if (key === undefined) throw new Error("X-Api-Key is required");
      return key;
    };
    for (const failMode of ["open", "closed"] as const) {
      const limiter = createRateLimiter({ redis, limit: 1, windowMs: 60_000, prefix: `invalid-key-${failMode}:` });
      const { app, handled, errors } = appWith(rateLimit(limiter, { keyOf, failMode }));
      expect((await request(app).get("/resource").set("x-api-key", "alpha")).status, `failMode ${failMode}: alpha's first request`).toBe(200);
      expect((await request(app).get("/resource").set("x-api-key", "alpha")).status, `failMode ${failMode}: alpha's second request (limit 1)`).toBe(429);
      for (let i = 1; i <= 3; i++) {
        const empty = await request(app).get("/resource").set("x-api-key", "");
        expect(handled.count, `failMode ${failMode}: requests that reached the route after ${i} with an empty X-Api-Key (keyOf returns "", which consume() rejects: not a Redis failure, so never admitted)`).toBe(1);
        expect(errors.length, `failMode ${failMode}: errors passed to next(error) after ${i} requests with an empty X-Api-Key (the request answered ${empty.status})`).toBe(i);
      }
      const missing = await request(app).get("/resource");
      expect(handled.count, `failMode ${failMode}: requests that reached the route after one without X-Api-Key (keyOf throws)`).toBe(1);
      expect(errors.length, `failMode ${failMode}: errors passed to next(error), the last for a request without X-Api-Key (keyOf threw; it answered ${missing.status})`).toBe(4);
      expect(errors.every((error) => error instanceof Error), `failMode ${failMode}: what reached next(error) is an Error: ${errors.map(String).join("; ")}`).toBe(true);
    }
  },
);
