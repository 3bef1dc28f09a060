import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { Dependency, NotFoundError, run, settle } from "./dependency.ts";
import { breaker, load } from "./implementation.ts";

graded(
  "filtering.is-failure",
  { points: 4, hint: "A rejection that isFailure clears still reaches the caller, but it is recorded as a success: the dependency answered." },
  async (t) => {
    const { BreakerOpenError } = await load(t);
    const { breaker: b } = await breaker(t, { windowSize: 4, minimumCalls: 4, failureRate: 0.3, isFailure: (error) => !(error instanceof NotFoundError) });
    const dependency = new Dependency();
    for (let i = 0; i < 4; i++) {
      const notFound = new NotFoundError(`no such order ${i}`);
      const result = await settle(b.exec(dependency.fail(notFound)));
      expect(result.error, "exec() rejects with fn's own error, filtered or not").toBe(notFound);
    }
    expect(await b.state(), "after 4 rejections that isFailure clears").toBe("closed");
    await run(b, dependency, "f");
    expect(await b.state(), "the window is 3 cleared rejections (successes) and 1 failure").toBe("closed");
    await run(b, dependency, "f");
    expect(await b.state(), "the window is 2 cleared rejections (successes) and 2 failures (failureRate 0.3)").toBe("open");
    const rejected = await settle(b.exec(dependency.ok()));
    expect(rejected.error, "the call after that").toBeInstanceOf(BreakerOpenError);
  },
);
