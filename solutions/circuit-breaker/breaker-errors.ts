/** exec() refused to call fn: the breaker is open, or half-open with every probe permit taken. */
export class BreakerOpenError extends Error {
  override name = "BreakerOpenError";
  readonly code = "BREAKER_OPEN";
  constructor(readonly breaker: string) {
    super(`circuit breaker "${breaker}" is open`);
  }
}

/** fn did not settle within timeoutMs; its signal was aborted. */
export class CallTimeoutError extends Error {
  override name = "CallTimeoutError";
  readonly code = "CALL_TIMEOUT";
  constructor(
    readonly breaker: string,
    readonly timeoutMs: number,
  ) {
    super(`call through circuit breaker "${breaker}" timed out after ${timeoutMs} ms`);
  }
}
