/** runStep gave up: every attempt timed out waiting for a lock. */
export class LockTimeoutError extends Error {
  override name = "LockTimeoutError";
  readonly code = "LOCK_TIMEOUT";
  constructor(
    readonly step: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`step "${step}" timed out waiting for a lock ${attempts} times`, options);
  }
}

/** create() was given an email another user already has. */
export class EmailTakenError extends Error {
  override name = "EmailTakenError";
  readonly code = "EMAIL_TAKEN";
  constructor(readonly email: string) {
    super(`email ${email} is already in use`);
  }
}
