import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { load } from "./implementation.ts";

const windowMs = 60_000;

graded("basics.admits-up-to-limit", { points: 2 }, async (t) => {
  const { createRateLimiter } = await load(t);
  const limiter = createRateLimiter({ redis: await t.redis(), limit: 5, windowMs });
  expect(limiter.limit).toBe(5);
  expect(limiter.windowMs).toBe(windowMs);
  for (let i = 1; i <= 5; i++) {
    const decision = await limiter.consume("alice");
    expect(decision, `call ${i} of 5`).toMatchObject({ allowed: true, limit: 5, remaining: 5 - i, retryAfterMs: 0 });
  }
  const denied = await limiter.consume("alice");
  expect(denied, "call 6 of a limit of 5").toMatchObject({ allowed: false, limit: 5, remaining: 0 });
});

graded("basics.keys-are-independent", { points: 1 }, async (t) => {
  const { createRateLimiter } = await load(t);
  const limiter = createRateLimiter({ redis: await t.redis(), limit: 2, windowMs });
  await limiter.consume("alice");
  await limiter.consume("alice");
  expect((await limiter.consume("alice")).allowed, "alice's third call").toBe(false);
  expect(await limiter.consume("bob"), "bob's first call, after alice used her quota").toMatchObject({ allowed: true, remaining: 1 });
});

graded("basics.cost-is-weighted", { points: 2 }, async (t) => {
  const { createRateLimiter } = await load(t);
  const limiter = createRateLimiter({ redis: await t.redis(), limit: 10, windowMs });
  expect(await limiter.consume("k", 4), "cost 4 of 10").toMatchObject({ allowed: true, remaining: 6 });
  expect(await limiter.consume("k", 5), "cost 5 more").toMatchObject({ allowed: true, remaining: 1 });
  expect(await limiter.consume("k", 2), "cost 2 with 1 left").toMatchObject({ allowed: false, remaining: 1 });
  expect(await limiter.consume("k"), "default cost 1 with 1 left").toMatchObject({ allowed: true, remaining: 0 });
});

graded(
  "basics.denied-consumes-nothing",
  { points: 2, hint: "Decide before you write: a denied call must leave the key exactly as it found it." },
  async (t) => {
    const { createRateLimiter } = await load(t);
    const limiter = createRateLimiter({ redis: await t.redis(), limit: 5, windowMs });
    await limiter.consume("k", 3);
    for (let i = 0; i < 10; i++) {
      expect((await limiter.consume("k", 3)).allowed, "cost 3 with 2 left").toBe(false);
    }
    expect(await limiter.consume("k", 2), "cost 2 with 2 left, after ten denied calls").toMatchObject({ allowed: true, remaining: 0 });
  },
);

graded(
  "basics.validates-arguments",
  {
    points: 2,
    hint: "Reject bad arguments before touching Redis, as a rejected promise: TypeError for a wrong type, RangeError for a bad value; name the argument in the message.",
  },
  async (t) => {
    const { createRateLimiter } = await load(t);
    const limiter = createRateLimiter({ redis: await t.redis(), limit: 5, windowMs });
    /** Calls consume, insisting on a rejected promise rather than a synchronous throw. */
    const consume = (key: unknown, cost?: unknown): Promise<unknown> => {
      let result: Promise<unknown> | undefined;
      expect(() => {
        result = limiter.consume(key as string, cost as number);
      }, `consume(${JSON.stringify(key)}, ${String(cost)}) must return a rejected promise, not throw synchronously`).not.toThrow();
      return result!;
    };
    const cases: { key: unknown; cost?: unknown; error: typeof RangeError | typeof TypeError | (typeof RangeError | typeof TypeError)[]; names: string }[] = [
      ...[0, -1, 1.5, 6, Number.NaN, Number.POSITIVE_INFINITY].map((cost) => ({ key: "k", cost, error: RangeError, names: "cost" })),
      { key: "k", cost: "2", error: TypeError, names: "cost" },
      { key: "", cost: 1, error: [RangeError, TypeError], names: "key" },
      ...[undefined, 42, null].map((key) => ({ key, cost: 1, error: TypeError, names: "key" })),
    ];
    for (const { key, cost, error, names } of cases) {
      const label = `consume(${JSON.stringify(key) ?? "undefined"}, ${typeof cost === "string" ? JSON.stringify(cost) : String(cost)})`;
      const rejection = await consume(key, cost).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      const allowed = Array.isArray(error) ? error : [error];
      expect(rejection, `${label} should reject`).toBeInstanceOf(Error);
      expect(allowed.some((type) => rejection instanceof type), `${label} should reject with ${allowed.map((type) => type.name).join(" or ")}, got ${String(rejection)}`).toBe(true);
      expect(String((rejection as Error).message), `${label}: the message should name "${names}"`).toContain(names);
    }
    expect(await limiter.consume("k", 5), "cost equal to the limit is valid; nothing was consumed by the bad calls").toMatchObject({ allowed: true, remaining: 0 });
  },
);

graded("basics.reset-clears-key", { points: 1 }, async (t) => {
  const { createRateLimiter } = await load(t);
  const limiter = createRateLimiter({ redis: await t.redis(), limit: 3, windowMs });
  for (let i = 0; i < 3; i++) await limiter.consume("k");
  await limiter.consume("other");
  await limiter.reset("k");
  expect(await limiter.consume("k"), "first call after reset").toMatchObject({ allowed: true, remaining: 2 });
  expect(await limiter.consume("other"), "reset must not touch other keys").toMatchObject({ allowed: true, remaining: 1 });
});
