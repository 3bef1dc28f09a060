import request from "supertest";
import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { appWith, load } from "./implementation.ts";

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
