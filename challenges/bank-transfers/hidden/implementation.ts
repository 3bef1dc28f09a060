import type { GradedContext, InstrumentedPool, PoolGate } from "../../../harness/testing/index.ts";
import { gatePool } from "../../../harness/testing/index.ts";
import type { Bank, BankOptions, Isolation } from "../src/index.ts";

/** The interface every implementation under test exports (the stub's). */
export type BankModule = typeof import("../src/index.ts");

export function load(t: GradedContext): Promise<BankModule> {
  return t.solution<BankModule>();
}

export interface BankUnderTest {
  bank: Bank;
  pool: InstrumentedPool;
  /** Backend pids of the pool's connections, as they open. */
  pids: Set<number>;
}

/** A bank on a pool of its own (as a separate server would have); `gate` gates the pool before its first connection. */
export async function bankOn(t: GradedContext, options: Omit<BankOptions, "pg">, extra: { gate?: boolean } = {}): Promise<BankUnderTest & { gate?: PoolGate }> {
  const { createBank } = await load(t);
  const pool = t.postgres();
  const gate = extra.gate ? gatePool(pool) : undefined;
  const pids = new Set<number>();
  pool.on("connect", (client) => pids.add((client as unknown as { processID: number }).processID));
  return { bank: createBank({ ...options, pg: pool }), pool, pids, gate };
}

/** A migrated bank with `accounts` opened: [owner, id, cents]. */
export async function openedBank(t: GradedContext, options: Omit<BankOptions, "pg">, accounts: [string, string, bigint][]): Promise<BankUnderTest> {
  const setup = await bankOn(t, options);
  await setup.bank.migrate();
  for (const [owner, id, cents] of accounts) await setup.bank.open(owner, id, cents);
  return setup;
}

export const levels: Isolation[] = ["read committed", "repeatable read", "serializable"];

/** Sum of every balance. */
export function total(balances: Map<string, bigint>): bigint {
  let sum = 0n;
  for (const cents of balances.values()) sum += cents;
  return sum;
}

/** Settled results as readable strings: "ok", "insufficient_funds", or "rejected: Name code message". */
export function outcomes(results: PromiseSettledResult<unknown>[]): string[] {
  return results.map((result) => {
    if (result.status === "fulfilled") return String(result.value);
    const error = result.reason as { name?: string; code?: string; message?: string };
    return `rejected: ${error?.name ?? "Error"} ${error?.code ?? ""} ${error?.message ?? String(result.reason)}`.replace(/\s+/g, " ");
  });
}

export function count(values: string[], value: string): number {
  return values.filter((v) => v === value).length;
}
