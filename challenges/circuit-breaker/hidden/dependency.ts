/** A scripted fake of the dependency behind the breaker: it records every invocation. */
export class DependencyError extends Error {
  override name = "DependencyError";
}

/** An error the tests' isFailure clears (think HTTP 404: the dependency answered). */
export class NotFoundError extends Error {
  override name = "NotFoundError";
}

export interface HeldCall {
  fn: (signal: AbortSignal) => Promise<string>;
  /** Resolves when the breaker called fn, with performance.now() and the signal it got. */
  invoked: Promise<{ at: number; signal: AbortSignal }>;
  succeed(value?: string): void;
  fail(error?: unknown): void;
}

export class Dependency {
  invocations = 0;
  signals: AbortSignal[] = [];

  ok(value = "ok"): (signal: AbortSignal) => Promise<string> {
    return async (signal) => {
      this.invocations++;
      this.signals.push(signal);
      return value;
    };
  }

  fail(error: unknown = new DependencyError("dependency failed")): (signal: AbortSignal) => Promise<string> {
    return async (signal) => {
      this.invocations++;
      this.signals.push(signal);
      throw error;
    };
  }

  /** A call that settles only when the test says so (it ignores its signal). */
  held(): HeldCall {
    let invoked!: (at: { at: number; signal: AbortSignal }) => void;
    let succeed!: (value: string) => void;
    let fail!: (error: unknown) => void;
    const settled = new Promise<string>((resolve, reject) => {
      succeed = resolve;
      fail = reject;
    });
    settled.catch(() => {});
    return {
      fn: (signal) => {
        this.invocations++;
        this.signals.push(signal);
        invoked({ at: performance.now(), signal });
        return settled;
      },
      invoked: new Promise((resolve) => (invoked = resolve)),
      succeed: (value = "ok") => succeed(value),
      fail: (error = new DependencyError("dependency failed late")) => fail(error),
    };
  }
}

/** What a promise settled with, without throwing. */
export function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

/** Runs calls one after another: "s" succeeds, "f" fails; returns how each settled. */
export async function run(breaker: { exec<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> }, dependency: Dependency, script: string) {
  const results: { value?: string; error?: unknown }[] = [];
  for (const step of script) results.push(await settle(breaker.exec(step === "s" ? dependency.ok() : dependency.fail())));
  return results;
}
