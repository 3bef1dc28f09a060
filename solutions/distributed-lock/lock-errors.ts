/** using() could not get the lock (every try found it taken). */
export class LockBusyError extends Error {
  override name = "LockBusyError";
  readonly code = "LOCK_BUSY";
  constructor(readonly resource: string) {
    super(`lock "${resource}" is held by someone else`);
  }
}

/** using() lost the lock while fn was running (taken over, or not confirmed in time). */
export class LockLostError extends Error {
  override name = "LockLostError";
  readonly code = "LOCK_LOST";
  constructor(
    readonly resource: string,
    options?: { cause?: unknown },
  ) {
    super(`lock "${resource}" was lost`, options);
  }
}
