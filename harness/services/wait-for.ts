/**
 * Polls `probe` until it resolves truthy or the deadline passes; stops early, with the
 * reason, when `gaveUp` names one (the server it waits for has exited, say).
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  options: { timeoutMs: number; intervalMs?: number; what: string; gaveUp?: () => string | undefined },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    const gaveUp = options.gaveUp?.();
    if (gaveUp) throw new Error(`${options.what} ${gaveUp}`);
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : "";
      throw new Error(`${options.what} was not ready after ${options.timeoutMs} ms${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10));
  }
}
