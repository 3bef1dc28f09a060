import { expect } from "vitest";
import { eventually, graded, sleep, untilDisconnected, watchStalls, withoutUnhandledRejections, withTimingRetries } from "../../../harness/testing/index.ts";
import { Dependency, DependencyError, run, settle } from "./dependency.ts";
import { breakers, load } from "./implementation.ts";

/** Rule: a round trip gets 250 ms at most; the suite leaves 200 ms more for a loaded machine. */
const roundTripMs = 250;
const slackMs = 200;

/** exec() and how long it took to settle. */
async function timed<T>(call: Promise<T>) {
  const started = performance.now();
  const result = await settle(call);
  return { ...result, ms: Math.round(performance.now() - started) };
}

graded(
  "resilience.redis-down",
  { points: 4, timeoutMs: 15_000, hint: "When a round trip fails, decide and record in a local breaker with the same rules; never let Redis's error reach the caller. When Redis answers again, its state is the one that counts." },
  async (t) => {
    const { BreakerOpenError } = await load(t);
    const options = { windowSize: 4, minimumCalls: 4, failureRate: 0.8, openMs: 1000 };
    const [one, two] = await breakers(t, 2, options);
    const dependency = new Dependency();
    await run(one!.breaker, dependency, "s");
    const faults = t.faults("redis");
    await faults.stop();
    await untilDisconnected(one!.redis);
    await withoutUnhandledRejections(async () => {
      const ok = await timed(one!.breaker.exec(dependency.ok("still works")));
      expect(ok.value ?? ok.error, "exec() of a working dependency while Redis is stopped").toBe("still works");
      for (let i = 0; i < 4; i++) {
        const error = new DependencyError(`down ${i}`);
        const failed = await timed(one!.breaker.exec(dependency.fail(error)));
        expect(failed.error, "exec() of a failing dependency while Redis is stopped: fn's own error").toBe(error);
        expect(failed.ms, "ms for that exec() to settle").toBeLessThanOrEqual(roundTripMs + slackMs);
      }
      const before = dependency.invocations;
      const refused = await timed(one!.breaker.exec(dependency.ok()));
      expect(refused.error, "after 4 failures in the last 4 calls (failureRate 0.8) with Redis stopped: the breaker protects locally").toBeInstanceOf(BreakerOpenError);
      expect(dependency.invocations, "fn calls while locally open").toBe(before);
      expect(await one!.breaker.state(), "state() while Redis is stopped (local state)").toBe("open");
    });
    await faults.start();
    await sleep(options.openMs);
    // Redis restarted empty: the shared state is closed again, and decides once it answers.
    await eventually(async () => expect(await one!.breaker.exec(dependency.ok("back")), "exec() once Redis is back").toBe("back"), { timeoutMs: 8000, intervalMs: 100 });
    await eventually(async () => expect(two!.redis.status).toBe("ready"), { timeoutMs: 8000 });
    await run(two!.breaker, dependency, "ffff");
    // Past the freshness bound, and well inside openMs (1 s) however loaded the machine is.
    await sleep(250);
    const shared = await settle(one!.breaker.exec(dependency.ok()));
    expect(shared.error, "instance 1's call after instance 2 opened the breaker through the restarted Redis: state is shared again").toBeInstanceOf(BreakerOpenError);
  },
);

// Last in the file: its CLIENT PAUSE outlasts the test, and a test after it would wait for the pause to end.
graded(
  "resilience.redis-hangs",
  { points: 4, timeoutMs: 10_000, hint: "A round trip that does not answer is not an error you can catch: give each one a deadline (250 ms), then decide and record locally." },
  async (t) => {
    t.requireOwnServer("redis"); // CLIENT PAUSE stops the whole server
    const { BreakerOpenError } = await load(t);
    const admin = await t.redis();
    const pauseMs = 1200;
    await withTimingRetries(async (attempt) => {
      // A retry starts once the last pause has ended, on a breaker of its own.
      await admin.ping();
      const [one] = await breakers(t, 1, { name: `payments-${attempt}`, windowSize: 4, minimumCalls: 4, failureRate: 0.5 });
      const dependency = new Dependency();
      await run(one!.breaker, dependency, "s");
      await admin.call("CLIENT", "PAUSE", String(pauseMs), "ALL");
      const pausedAt = performance.now();
      // The implementation shares this process: a stall of it longer than this eats the slack, and proves nothing.
      const stalls = watchStalls(slackMs / 2);
      const failures = await Promise.all(Array.from({ length: 4 }, (_, i) => timed(one!.breaker.exec(dependency.fail(new DependencyError(`hung ${i}`))))));
      const before = dependency.invocations;
      const refused = await timed(one!.breaker.exec(dependency.ok()));
      const checkedAt = performance.now();
      stalls.judge("the calls while Redis hung", () => {
        for (const failure of failures) {
          expect(failure.error, "exec() of a failing dependency while Redis hangs: fn's own error").toBeInstanceOf(DependencyError);
          expect(failure.ms, `ms for exec() to settle while Redis hangs (CLIENT PAUSE ${pauseMs} ms): its bookkeeping waits ${roundTripMs} ms at most`).toBeLessThanOrEqual(roundTripMs + slackMs);
        }
        expect(refused.error, "after 4 failures in the last 4 calls while Redis hangs: the breaker protects locally").toBeInstanceOf(BreakerOpenError);
        expect(refused.ms, "ms for that refusal").toBeLessThanOrEqual(roundTripMs + slackMs);
        expect(dependency.invocations, "fn calls while locally open").toBe(before);
        expect(checkedAt - pausedAt, "the calls above ran while Redis was still paused").toBeLessThan(pauseMs);
      });
    });
  },
);
