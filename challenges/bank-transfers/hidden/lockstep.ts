import type { InstrumentedPool, PoolGate } from "../../../harness/testing/index.ts";
import { sleep } from "../../../harness/testing/index.ts";

/** One racer: a call on a gated pool of its own. */
export interface Racer {
  gate: PoolGate;
  pids: Set<number>;
}

/**
 * Runs the calls of `racers` in lockstep: every query result is held back until every
 * racer has a result waiting, is blocked on a lock inside Postgres, or has settled; then
 * all go one step further. So every racer has run its first statement before any runs its
 * second: the worst interleaving, every time. A racer that is neither (busy in JavaScript,
 * or waiting on something else) is waited for up to `stallMs`, then the step goes on.
 */
export async function lockstep<T>(admin: InstrumentedPool, racers: Racer[], start: (index: number) => Promise<T>, stallMs = 1500): Promise<PromiseSettledResult<T>[]> {
  for (const racer of racers) racer.gate.close();
  const settled = racers.map(() => false);
  const calls = racers.map((_, i) => {
    const call = Promise.resolve().then(() => start(i));
    call.then(
      () => (settled[i] = true),
      () => (settled[i] = true),
    );
    return call;
  });
  const seen = racers.map(() => 0);
  let stepStarted = performance.now();
  try {
    while (!settled.every(Boolean)) {
      await sleep(3);
      const waiting = await lockWaiters(admin, racers);
      const ready = racers.every((racer, i) => settled[i] || racer.gate.held > seen[i]! || waiting.has(i));
      if (!ready && performance.now() - stepStarted < stallMs) continue;
      racers.forEach((racer, i) => (seen[i] = racer.gate.held));
      for (const racer of racers) racer.gate.open();
      for (const racer of racers) racer.gate.close();
      stepStarted = performance.now();
    }
  } finally {
    for (const racer of racers) racer.gate.open();
  }
  return Promise.allSettled(calls);
}

/** Indexes of the racers whose connection is blocked on a lock (row, transaction or advisory). */
async function lockWaiters(admin: InstrumentedPool, racers: Racer[]): Promise<Set<number>> {
  const pids = racers.flatMap((racer) => [...racer.pids]);
  if (pids.length === 0) return new Set();
  const result = await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE pid = ANY($1::int[]) AND wait_event_type = 'Lock'", [pids]);
  const blocked = new Set(result.rows.map((row) => row.pid));
  return new Set(racers.flatMap((racer, i) => ([...racer.pids].some((pid) => blocked.has(pid)) ? [i] : [])));
}
