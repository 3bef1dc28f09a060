/** A timing scenario whose preconditions the machine did not meet (it stalled); not a verdict on the code. */
export class InconclusiveTiming extends Error {
  override name = "InconclusiveTiming";
}

/**
 * Runs a scenario that depends on real time, up to `attempts` times: an attempt whose
 * measured timings broke its own preconditions (see `sentBefore`) is retried, on fresh
 * keys, instead of judged. Only a conclusive attempt decides the test.
 */
export async function withTimingRetries(scenario: (attempt: number) => Promise<void>, attempts = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await scenario(attempt);
      return;
    } catch (error) {
      if (!(error instanceof InconclusiveTiming) || attempt >= attempts) throw error;
    }
  }
}

/** Asserts a precondition on time: the call about to be judged was sent before `deadline` (performance.now()). */
export function sentBefore(sentAt: number, deadline: number, what: string): void {
  if (sentAt >= deadline) {
    throw new InconclusiveTiming(`The machine stalled: ${what} was sent ${Math.round(sentAt - deadline)} ms too late to prove anything. Grade again on a quieter machine.`);
  }
}
