/** Starts `count` calls at once and waits for every one to settle. */
export async function runConcurrently<T>(count: number, call: (index: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(Array.from({ length: count }, (_, index) => Promise.resolve().then(() => call(index))));
}

/** Runs `count` calls with at most `concurrency` in flight, started in order of index; rejects with the first failure. */
export async function withConcurrency(count: number, concurrency: number, call: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await call(next++);
    }),
  );
}

/** Runs `total` calls with at most `concurrency` in flight; returns calls per second. */
export async function callsPerSecond(total: number, concurrency: number, call: (index: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await withConcurrency(total, concurrency, call);
  return (total / (performance.now() - started)) * 1000;
}

/** Resolves after `ms`; for waits whose length the test states and asserts around, never to paper over a race. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Sleeps until `performance.now()` reaches `deadline`. */
export function sleepUntil(deadline: number): Promise<void> {
  return sleep(deadline - performance.now());
}

/** Retries `check` until it passes or `timeoutMs` elapses, then rethrows its last failure. */
export async function eventually<T>(check: () => Promise<T>, options: { timeoutMs: number; intervalMs?: number }): Promise<T> {
  const deadline = performance.now() + options.timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await sleep(options.intervalMs ?? 25);
    }
  }
}
