/**
 * Every error the harness raises on purpose. Callers branch on `instanceof` or
 * `code`, never on the message; only `cli.ts` turns them into exit codes.
 */
export abstract class KatasError extends Error {
  /** Stable machine-readable code, e.g. `UNKNOWN_CHALLENGE`. */
  abstract readonly code: string;
  /** One next step for the person at the keyboard. */
  readonly hint?: string;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** Something the user can fix: bad input, a missing tool. Printed as-is, with its hint. */
export class UserError extends KatasError {
  readonly code: string;
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options);
    this.code = code;
  }
}

/** A flag or argument the CLI does not understand. */
export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super("USAGE", message, { hint });
  }
}

/** `npm run grade <slug>` named no challenge we have. */
export class UnknownChallengeError extends UserError {
  constructor(slug: string, suggestions: string[], known: string[]) {
    const didYouMean = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(" or ")}?` : "";
    super("UNKNOWN_CHALLENGE", `Unknown challenge "${slug}".${didYouMean}`, {
      hint: `Available challenges: ${known.join(", ")}.`,
    });
  }
}

/** A service the challenge needs could not be started or reached. */
export class ServiceUnavailableError extends UserError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super("SERVICE_UNAVAILABLE", message, options);
  }
}

/** No Docker (or compatible) runtime answered. */
export class ContainerRuntimeUnavailableError extends UserError {
  constructor(cause?: unknown) {
    super("CONTAINER_RUNTIME_UNAVAILABLE", "No container runtime answered (is Docker running?).", {
      hint: "Start Docker Desktop or the docker service, or grade with local binaries: --services local.",
      cause,
    });
  }
}

/** A bug in the harness itself; printed with a request to report it. */
export class InternalError extends KatasError {
  readonly code = "INTERNAL";
}
