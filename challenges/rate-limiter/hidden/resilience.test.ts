import request from "supertest";
import { expect } from "vitest";
import { eventually, graded, untilDisconnected, withoutUnhandledRejections } from "../../../harness/testing/index.ts";
import { appWith } from "./app.ts";
import { load } from "./implementation.ts";

graded("resilience.fail-open", { points: 2, timeoutMs: 10_000, hint: "Catch the rejected consume() in the middleware; with failMode \"open\" call next() and let the request through." }, async (t) => {
  const { createRateLimiter, rateLimit } = await load(t);
  const redis = await t.redis();
  const { app, handled } = appWith(rateLimit(createRateLimiter({ redis, limit: 5, windowMs: 60_000 }), { failMode: "open" }));
  expect((await request(app).get("/resource")).status, "request while Redis is up").toBe(200);
  const faults = t.faults("redis");
  await faults.stop();
  await untilDisconnected(redis);
  await withoutUnhandledRejections(async () => {
    const response = await request(app).get("/resource").timeout(4000);
    expect(response.status, "request while Redis is down, failMode open").toBe(200);
  });
  expect(handled.count, "requests that reached the route").toBe(2);
});

graded("resilience.fail-closed", { points: 2, timeoutMs: 10_000, hint: "With failMode \"closed\", answer 503 with the JSON error body when Redis fails; don't hang and don't crash." }, async (t) => {
  const { createRateLimiter, rateLimit } = await load(t);
  const redis = await t.redis();
  const { app, handled } = appWith(rateLimit(createRateLimiter({ redis, limit: 5, windowMs: 60_000 }), { failMode: "closed" }));
  expect((await request(app).get("/resource")).status, "request while Redis is up").toBe(200);
  const faults = t.faults("redis");
  await faults.stop();
  await untilDisconnected(redis);
  await withoutUnhandledRejections(async () => {
    const response = await request(app).get("/resource").timeout(4000);
    expect(response.status, "request while Redis is down, failMode closed").toBe(503);
    expect(response.body?.error?.code, "body.error.code").toBe("RATE_LIMITER_UNAVAILABLE");
  });
  expect(handled.count, "requests that reached the route").toBe(1);
});

graded("resilience.recovers", { points: 2, timeoutMs: 15_000, hint: "Don't cache a failed state or a dead connection: when Redis is back, the same limiter and client must work again (a restarted Redis has no scripts loaded)." }, async (t) => {
  const { createRateLimiter, rateLimit } = await load(t);
  const redis = await t.redis();
  const { app } = appWith(rateLimit(createRateLimiter({ redis, limit: 3, windowMs: 60_000 }), { failMode: "closed" }));
  const faults = t.faults("redis");
  await faults.stop();
  await untilDisconnected(redis);
  expect((await request(app).get("/resource").timeout(4000)).status, "request while Redis is down").toBe(503);
  await faults.start();
  const recovered = await eventually(
    async () => {
      const response = await request(app).get("/resource").timeout(2000);
      expect(response.status).toBe(200);
      return response;
    },
    { timeoutMs: 6000, intervalMs: 100 },
  );
  expect(recovered.headers["ratelimit"], "RateLimit after Redis came back (a restarted Redis starts empty)").toBe('"default";r=2;t=60');
  await request(app).get("/resource");
  await request(app).get("/resource");
  expect((await request(app).get("/resource")).status, "limiting works again after recovery").toBe(429);
});
