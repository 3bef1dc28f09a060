import { defineChallenge } from "../../harness/challenges/define-challenge.ts";

export default defineChallenge({
  slug: "rate-limiter",
  title: "Distributed rate limiter",
  difficulty: "medium",
  summary: "An exact rolling-window limiter shared by many processes through Redis, with Express middleware.",
  services: ["redis"],
  exports: ["createRateLimiter", "rateLimit"],
  stages: [
    {
      slug: "basics",
      title: "Basics",
      summary: "Admit up to the limit, weigh costs, validate arguments, reset a key.",
      hints: [
        "Start with one key in Redis per limited key, and make every decision from what Redis says, not from memory.",
        "A denied call must not change anything: decide first, write only when admitting.",
      ],
    },
    {
      slug: "rolling-window",
      title: "Rolling window",
      summary: "No bursts at window boundaries; old cost leaves the window exactly on time.",
      hints: [
        "A counter per fixed window lets 2×limit through around a boundary. You need to know when each admitted cost happened.",
        "A sorted set scored by admission time lets you drop what left the window with one ZREMRANGEBYSCORE.",
      ],
    },
    {
      slug: "distributed",
      title: "Distributed",
      summary: "Many instances share one limit: atomic decisions, Redis time, expiring keys, survives SCRIPT FLUSH.",
      ownServer: ["redis"],
      hints: [
        "Read-then-write from the client races with other instances. Make the decision inside Redis, atomically: a Lua script.",
        "Take the time from Redis (TIME inside the script), not from Date.now().",
        "ioredis defineCommand sends EVALSHA and falls back to EVAL on NOSCRIPT for you.",
      ],
    },
    {
      slug: "http",
      title: "HTTP middleware",
      summary: "RateLimit and RateLimit-Policy headers, 429 with Retry-After and a JSON body.",
      hints: [
        "Retry-After is in whole seconds: round up, and never send 0.",
        "Key on req.ip by default, never on a header the client writes: Express's 'trust proxy' setting decides what req.ip believes. And a key consume() refuses goes to next(error), not to fail-open.",
      ],
    },
    {
      slug: "resilience",
      title: "Resilience",
      summary: "Redis really stops and restarts: fail open or closed as configured, and recover on your own.",
      faults: ["redis"],
      hints: ["Catch the rejected consume() in the middleware; the injected client fails fast while Redis is down and reconnects by itself."],
    },
    {
      slug: "efficiency",
      title: "Efficiency",
      summary: "One Redis round trip per consume; memory per key bounded by the limit, not by traffic.",
      hints: ["Everything a decision needs fits in one EVALSHA. Denied calls should write nothing that grows."],
    },
  ],
});
