import type { Bank } from "../src/index.ts";

/** A small seeded generator (mulberry32): the same seed gives the same workload on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One call of the workload and what became of it. */
export interface Operation {
  kind: "transfer" | "withdraw";
  from: string;
  to: string | null;
  cents: bigint;
  /** Ticks of the shared clock when the call started and settled. */
  started: number;
  settled: number;
  outcome: string;
}

/** A balances() call taken while the workload ran. */
export interface Snapshot {
  started: number;
  settled: number;
  balances: Map<string, bigint> | null;
  error?: string;
}

/** A logical clock shared by the workers: each start and end of a call takes the next tick. */
export class Clock {
  private now = 0;
  tick(): number {
    return ++this.now;
  }
}

function describe(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string };
  return `rejected: ${e?.name ?? "Error"} ${e?.code ?? ""} ${e?.message ?? String(error)}`.replace(/\s+/g, " ");
}

/** Runs `count` seeded random transfers (3 in 4) and withdrawals over `accounts`, one after another, on `bank`; starts none once `deadline` has passed. */
export async function worker(bank: Bank, clock: Clock, random: () => number, accounts: string[], count: number, log: Operation[], deadline: { passed(): boolean }): Promise<void> {
  const pick = () => accounts[Math.floor(random() * accounts.length)]!;
  for (let i = 0; i < count && !deadline.passed(); i++) {
    const from = pick();
    let to: string | null = random() < 0.75 ? pick() : null;
    while (to === from) to = pick();
    const cents = BigInt(1 + Math.floor(random() * 400));
    const operation: Operation = { kind: to === null ? "withdraw" : "transfer", from, to, cents, started: clock.tick(), settled: 0, outcome: "" };
    log.push(operation);
    try {
      operation.outcome = String(to === null ? await bank.withdraw(from, cents) : await bank.transfer(from, to, cents));
    } catch (error) {
      operation.outcome = describe(error);
    }
    operation.settled = clock.tick();
  }
}

/** Calls balances() one after another (at most `limit` times) until `done` resolves. */
export async function snapshots(bank: Bank, clock: Clock, done: Promise<unknown>, log: Snapshot[], limit: number): Promise<void> {
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished && log.length < limit) {
    const snapshot: Snapshot = { started: clock.tick(), settled: 0, balances: null };
    try {
      snapshot.balances = await bank.balances();
    } catch (error) {
      snapshot.error = describe(error);
    }
    snapshot.settled = clock.tick();
    log.push(snapshot);
  }
}
