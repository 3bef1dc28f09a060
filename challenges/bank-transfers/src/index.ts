/**
 * Bank transfers under concurrency — your implementation goes here.
 * The spec is in ../README.md. Grade it with: npm run grade bank-transfers
 */
import type { Pool } from "pg";

/** A Postgres transaction isolation level, as `BEGIN ISOLATION LEVEL ...` spells it. */
export type Isolation = "read committed" | "repeatable read" | "serializable";

export interface BankOptions {
  /** Pool provided by the caller. Don't end() it. */
  pg: Pool;
  /** The level every transaction of transfer() and withdraw() runs at. */
  isolation: Isolation;
  /** How many times a transaction that failed with 40001 or 40P01 is run again (0: never). */
  maxRetries: number;
}

export interface Bank {
  /** Creates what the bank needs; safe to run again. */
  migrate(): Promise<void>;
  /** Opens a new account of `owner` holding `cents` (>= 0n). */
  open(owner: string, accountId: string, cents: bigint): Promise<void>;
  /** Moves `cents` (> 0n) from one account to another, if every owner's total stays >= 0. */
  transfer(from: string, to: string, cents: bigint): Promise<"ok" | "insufficient_funds">;
  /** Takes `cents` (> 0n) out of an account, if its owner's accounts together stay >= 0. */
  withdraw(accountId: string, cents: bigint): Promise<"ok" | "insufficient_funds">;
  /** Every account's balance, all read at one moment. */
  balances(): Promise<Map<string, bigint>>;
  /** Counters since the bank was created. */
  stats(): { retries: number };
}

/** Thrown by the parts you have not written yet; the grader reports them as "not implemented". */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}

/** transfer() or withdraw() named an account that does not exist. */
export class UnknownAccountError extends Error {
  override name = "UnknownAccountError";
  readonly code = "UNKNOWN_ACCOUNT";
  constructor(readonly accountId: string) {
    super(`no account "${accountId}"`);
  }
}

/** A transaction failed with 40001 or 40P01 on its first run and on each of its maxRetries retries. */
export class RetriesExhaustedError extends Error {
  override name = "RetriesExhaustedError";
  readonly code = "RETRIES_EXHAUSTED";
  constructor(
    /** Runs of the transaction, the first included (maxRetries + 1). */
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`transaction failed ${attempts} times`, options);
  }
}

export function createBank(options: BankOptions): Bank {
  throw new NotImplementedError("createBank");
}
