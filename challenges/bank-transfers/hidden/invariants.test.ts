import { expect } from "vitest";
import { graded, machineDeadline, sleep } from "../../../harness/testing/index.ts";
import { bankOn, count, levels, openedBank, outcomes } from "./implementation.ts";
import { lockstep } from "./lockstep.ts";
import { Clock, seeded, snapshots, worker, type Operation, type Snapshot } from "./workload.ts";

const owners = ["ann", "bob", "cat", "dan"];
const accountsOf = (owner: string) => [`${owner}-checking`, `${owner}-savings`];
const opening = 2000n;
const workersPerLevel = 2;
const callsPerWorker = 120;
/** The workload starts no call after this (in machine time, at most twice as long in wall time); the reference needs about 1 s. */
const workloadMs = 12_000;

function sumOf(values: Iterable<bigint>): bigint {
  let sum = 0n;
  for (const value of values) sum += value;
  return sum;
}

/** Withdrawals that succeeded, as cents taken out, filtered by when they started or settled. */
function withdrawn(log: Operation[], keep: (operation: Operation) => boolean): bigint {
  return sumOf(log.filter((operation) => operation.kind === "withdraw" && operation.outcome === "ok" && keep(operation)).map((operation) => operation.cents));
}

graded(
  "invariants.random-workload",
  {
    points: 4,
    // The workload may take up to 24 s on a busy machine (machineDeadline), then the checks.
    timeoutMs: 30_000,
    hint: "Every invariant at once: lock every row a decision reads or a write touches, in one global order; retry 40001/40P01 as whole transactions; read balances() in one statement (one snapshot).",
  },
  async (t) => {
    const admin = t.postgres();
    // Deadlocks are found after deadlock_timeout (1 s by default); where the grader may, it shortens that for this database, so that a workload that deadlocks still ends quickly.
    await admin.query("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET deadlock_timeout = %L', current_database(), '20ms'); EXCEPTION WHEN insufficient_privilege THEN NULL; END $$");
    const accounts = owners.flatMap(accountsOf);
    const { bank } = await openedBank(t, { isolation: "read committed", maxRetries: 100 }, owners.flatMap((owner) => accountsOf(owner).map((id): [string, string, bigint] => [owner, id, opening])));
    const initial = opening * BigInt(accounts.length);
    const clock = new Clock();
    const log: Operation[] = [];
    const taken: Snapshot[] = [];
    const workers = await Promise.all(levels.flatMap((isolation) => Array.from({ length: workersPerLevel }, () => bankOn(t, { isolation, maxRetries: 100 }))));
    const reader = await bankOn(t, { isolation: "read committed", maxRetries: 100 });
    const deadline = machineDeadline({ limitMs: workloadMs, maxStretch: 2 });
    const done = Promise.all(workers.map((w, i) => worker(w.bank, clock, seeded(1000 + i), accounts, callsPerWorker, log, deadline)));
    await Promise.all([done, snapshots(reader.bank, clock, done.then(() => sleep(0)), taken, 2000)]);
    expect(log.length, `calls the workload made within ${workloadMs / 1000} s`).toBe(callsPerWorker * workers.length);

    const counts: Record<string, number> = {};
    for (const operation of log) counts[operation.outcome] = (counts[operation.outcome] ?? 0) + 1;
    const unexpected = log.filter((operation) => !["ok", "insufficient_funds"].includes(operation.outcome) && !operation.outcome.startsWith("rejected: RetriesExhaustedError"));
    expect(
      unexpected.slice(0, 3).map((operation) => `${operation.kind}(${operation.from}${operation.to ? ` → ${operation.to}` : ""}, ${operation.cents}): ${operation.outcome}`),
      `calls of the workload (6 banks, two per level, ${callsPerWorker} calls each) that rejected with something other than RetriesExhaustedError; outcomes: ${JSON.stringify(counts)}`,
    ).toEqual([]);

    expect(taken.length, "balances() calls completed while the workload ran").toBeGreaterThanOrEqual(3);
    for (const [index, snapshot] of taken.entries()) {
      const what = `balances() #${index + 1} of ${taken.length}, taken while the workload ran`;
      expect(snapshot.error, what).toBeUndefined();
      const balances = snapshot.balances!;
      expect([...balances.keys()].sort(), `${what}: accounts`).toEqual([...accounts].sort());
      for (const owner of owners) {
        const held = sumOf(accountsOf(owner).map((id) => balances.get(id)!));
        expect(held >= 0n, `${what}: ${owner}'s accounts together hold ${held} (${accountsOf(owner).map((id) => `${id} ${balances.get(id)}`).join(", ")})`).toBe(true);
      }
      // Transfers never change the total; only withdrawals do, and only those that ran while the snapshot was taken may or may not be in it.
      const most = initial - withdrawn(log, (operation) => operation.settled < snapshot.started);
      const least = initial - withdrawn(log, (operation) => operation.started < snapshot.settled);
      const total = sumOf(balances.values());
      expect(total >= least && total <= most, `${what}: the total is ${total}; with the withdrawals before and during it, it must lie in [${least}, ${most}] (money appeared or vanished: a lost or doubled write, or a balances() that saw a transfer half done)`).toBe(true);
    }

    const expected = new Map(accounts.map((id) => [id, opening]));
    for (const operation of log) {
      if (operation.outcome !== "ok") continue;
      expected.set(operation.from, expected.get(operation.from)! - operation.cents);
      if (operation.to) expected.set(operation.to, expected.get(operation.to)! + operation.cents);
    }
    expect(Object.fromEntries(await bank.balances()), `balances() afterwards: the opening balances plus every "ok" call applied exactly once (outcomes: ${JSON.stringify(counts)})`).toEqual(Object.fromEntries(expected));
  },
);

graded(
  "invariants.one-snapshot",
  { points: 2, timeoutMs: 10_000, hint: "Read every balance in one statement (or in one REPEATABLE READ transaction): reads spread over several statements at READ COMMITTED see a transfer half done." },
  async (t) => {
    const { bank: mover } = await openedBank(t, { isolation: "read committed", maxRetries: 5 }, [["ann", "a", 1000n], ["bob", "b", 1000n]]);
    const reader = await bankOn(t, { isolation: "read committed", maxRetries: 5 }, { gate: true });
    const gate = reader.gate!;
    gate.close();
    let settled = false;
    const call = reader.bank.balances().finally(() => (settled = true));
    call.catch(() => {});
    let seen = 0;
    let moved = 0;
    let stalled = performance.now();
    try {
      while (!settled) {
        await sleep(2);
        if (gate.held > seen) {
          seen = gate.held;
          // Each statement of balances() has been answered and is held back: a transfer commits before the next one is sent.
          expect(await mover.transfer("a", "b", 10n), "transfer(a → b, 10) between two statements of balances()").toBe("ok");
          moved++;
          gate.open();
          gate.close();
          stalled = performance.now();
        } else if (performance.now() - stalled > 2000) {
          gate.open();
        }
      }
    } finally {
      gate.open();
    }
    const balances = await call;
    expect(moved, "statements of balances() answered (each followed by a transfer of 10 from a to b)").toBeGreaterThan(0);
    expect(sumOf(balances.values()), `the total of balances() while ${moved} transfer(s) of 10 from a to b committed between its statements (got ${JSON.stringify(Object.fromEntries([...balances].map(([id, cents]) => [id, String(cents)])))})`).toBe(2000n);
    expect(Object.fromEntries(await mover.balances()), "balances() afterwards").toEqual({ a: 1000n - 10n * BigInt(moved), b: 1000n + 10n * BigInt(moved) });
  },
);

graded(
  "invariants.mixed-levels",
  { points: 2, timeoutMs: 8000, hint: "SERIALIZABLE turns anomalies into 40001 only among SERIALIZABLE transactions: a READ COMMITTED bank's debits are invisible to it. Take the same row locks at every level." },
  async (t) => {
    const admin = t.postgres();
    const { bank } = await openedBank(t, { isolation: "read committed", maxRetries: 10 }, [["ann", "checking", 50n], ["ann", "savings", 50n]]);
    const racers = await Promise.all((["serializable", "read committed"] as const).map((isolation) => bankOn(t, { isolation, maxRetries: 10 }, { gate: true })));
    const accounts = ["checking", "savings"];
    const results = outcomes(await lockstep(admin, racers.map((racer) => ({ gate: racer.gate!, pids: racer.pids })), (i) => racers[i]!.bank.withdraw(accounts[i]!, 100n)));
    expect(results.filter((result) => result.startsWith("rejected")), "withdrawals that rejected").toEqual([]);
    expect(count(results, "ok"), `withdraw(checking, 100) on a SERIALIZABLE bank and withdraw(savings, 100) on a READ COMMITTED bank at once, ann holds 50 + 50 (results: ${results.join(", ")})`).toBe(1);
    const balances = await bank.balances();
    expect(balances.get("checking")! + balances.get("savings")!, "ann's total afterwards").toBe(0n);
  },
);
