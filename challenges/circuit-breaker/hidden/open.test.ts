import { expect } from "vitest";
import { graded, runConcurrently, sentBefore, sleepUntil, withTimingRetries } from "../../../harness/testing/index.ts";
import { Dependency, run, settle } from "./dependency.ts";
import { breaker, load } from "./implementation.ts";

graded(
  "open.fails-fast",
  { points: 3, hint: "While open, reject with BreakerOpenError before calling fn." },
  async (t) => {
    const { BreakerOpenError } = await load(t);
    const { breaker: b } = await breaker(t, { windowSize: 2, minimumCalls: 2, failureRate: 0.9 });
    const dependency = new Dependency();
    await run(b, dependency, "ff");
    const results = await runConcurrently(20, () => b.exec(dependency.ok()));
    const errors = results.map((result) => (result.status === "rejected" ? result.reason : result.value));
    for (const error of errors) {
      expect(error, "each of 20 concurrent calls to an open breaker").toBeInstanceOf(BreakerOpenError);
      expect((error as { code?: string }).code, "BreakerOpenError's code").toBe("BREAKER_OPEN");
    }
    expect(dependency.invocations - 2, "fn calls while open").toBe(0);
    expect(await b.state(), "state()").toBe("open");
  },
);

// The breaker opens between the moment the opening call's fn settled and the moment its
// exec() settled. The early probe must be sent before the earliest end of a correct open
// period (else the attempt is inconclusive and retried); the late one leaves slackMs after
// the latest end.
const slackMs = 150;

graded(
  "open.lasts-open-ms",
  { points: 5, timeoutMs: 10_000, hint: "Open for exactly openMs from the outcome that opened it: not from the first failure, not in whole seconds, and a rejected call does not restart the timer." },
  async (t) => {
    const { BreakerOpenError } = await load(t);
    const openMs = 400;
    await withTimingRetries(async (attempt) => {
      const { breaker: b } = await breaker(t, { name: `open-${attempt}`, windowSize: 2, minimumCalls: 2, failureRate: 0.9, openMs });
      const dependency = new Dependency();
      await run(b, dependency, "f");
      await new Promise((resolve) => setTimeout(resolve, 250)); // the first failure is well before the opening
      const fnSettled = { at: 0 };
      const opening = settle(
        b.exec(async () => {
          dependency.invocations++;
          fnSettled.at = performance.now();
          throw new Error("second failure");
        }),
      );
      await opening;
      const openedBy = performance.now();
      await sleepUntil(fnSettled.at + openMs * 0.75);
      const early = await settle(b.exec(dependency.ok()));
      sentBefore(performance.now(), fnSettled.at + openMs, `the call at 0.75 × openMs`);
      expect(early.error, `a call ${openMs * 0.75} ms into a ${openMs} ms open period`).toBeInstanceOf(BreakerOpenError);
      await sleepUntil(openedBy + openMs + slackMs);
      const late = await settle(b.exec(dependency.ok("probe")));
      expect(late.value ?? late.error, `a call ${openMs + slackMs} ms after the breaker opened for ${openMs} ms (a probe)`).toBe("probe");
    });
  },
);
