import { InconclusiveTiming } from "./timing.ts";

/**
 * Measures how late this process's event loop runs a 5 ms timer. Client and server share
 * it, so a machine that stalls the test stalls the implementation too: a scenario during
 * which the loop stalled for longer than `maxLagMs` proves nothing about timing.
 */
export function watchStalls(maxLagMs: number) {
  let worst = 0;
  let expected = performance.now() + 5;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - expected);
    expected = now + 5;
  }, 5);
  return {
    /**
     * Stops watching and runs the verdict: if it fails while the loop stalled, the
     * failure proves nothing and becomes InconclusiveTiming (withTimingRetries tries again).
     */
    judge(what: string, verdict: () => void): void {
      clearInterval(timer);
      try {
        verdict();
      } catch (error) {
        if (worst > maxLagMs) throw new InconclusiveTiming(`The machine stalled for ${Math.round(worst)} ms during ${what}, which failed: ${(error as Error)?.message?.split("\n")[0]}. Grade again on a quieter machine.`, { cause: error });
        throw error;
      }
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}
