const interruptSignals: readonly (string | symbol)[] = ["SIGINT", "SIGTERM"];

/**
 * Runs `create` while dropping every SIGINT/SIGTERM listener it adds, as it adds it.
 *
 * vitest (and vite inside it) exit the process on SIGINT/SIGTERM within a millisecond, and the
 * CLI must tear down servers first. vitest adds its listener synchronously in createVitest, before
 * its first await: removing foreign listeners only once createVitest resolved left a Ctrl-C during
 * a slow start (a loaded machine) exiting with the grade's servers still up.
 */
export async function withoutForeignSignalListeners<T>(create: () => Promise<T>): Promise<T> {
  // `newListener` fires just before the listener is added; a signal is delivered from the event
  // loop, never between that and the next microtask.
  const drop = (event: string | symbol, listener: (...args: unknown[]) => void) => {
    if (interruptSignals.includes(event)) queueMicrotask(() => process.off(event, listener));
  };
  process.on("newListener", drop);
  try {
    return await create();
  } finally {
    process.off("newListener", drop);
  }
}
