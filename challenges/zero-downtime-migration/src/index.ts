/**
 * Zero-downtime schema migration — your implementation goes here.
 * The spec is in ../README.md. Grade it with: npm run grade zero-downtime-migration
 */
import type { Pool } from "pg";

/** One migration step: run by runStep with a lock timeout, and retried when it times out. */
export interface Step {
  /** Unique within the plan; shown in errors. */
  name: string;
  /** The SQL to run. A non-transactional step is exactly one statement. */
  sql: string;
  /** true: run inside BEGIN ... COMMIT; false: run on its own (CREATE/DROP INDEX CONCURRENTLY). */
  transactional: boolean;
}

/** The migration: expand runs while the old app serves traffic, contract once only v2 is left. */
export interface Plan {
  expand: Step[];
  contract: Step[];
}

/** How runStep waits for locks and retries. */
export interface RunOptions {
  /** The longest one attempt may wait for a lock (Postgres lock_timeout), in milliseconds. */
  lockTimeoutMs: number;
  /** Attempts after the first one that timed out waiting for a lock; 0 means a single attempt. */
  retries: number;
  /** Wait between a timed-out attempt and the next, in milliseconds. */
  retryDelayMs: number;
}

/** A user as both app versions show it. */
export interface User {
  /** The row's id, as a string. */
  id: string;
  name: string;
  email: string;
}

/** What both versions of the app offer. */
export interface UsersApi {
  /** Inserts a user; rejects with EmailTakenError if the email is in use. */
  create(input: { name: string; email: string }): Promise<User>;
  /** The user, or null if there is none with that id. */
  get(id: string): Promise<User | null>;
  /** Changes the user's name. */
  rename(id: string, name: string): Promise<void>;
}

/** Thrown by the parts you have not written yet; the grader reports them as "not implemented". */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}

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

export function createPlan(): Plan {
  throw new NotImplementedError("createPlan");
}

export function runStep(pg: Pool, step: Step, options: RunOptions): Promise<void> {
  throw new NotImplementedError("runStep");
}

export function backfill(pg: Pool, options: { batchSize: number }): Promise<void> {
  throw new NotImplementedError("backfill");
}

export function createAppV1(pg: Pool): UsersApi {
  throw new NotImplementedError("createAppV1");
}

export function createAppV2(pg: Pool): UsersApi {
  throw new NotImplementedError("createAppV2");
}
