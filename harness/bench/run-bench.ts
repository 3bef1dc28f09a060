import { Redis } from "ioredis";
import pg from "pg";
import { listChallengeSlugs, loadChallenge } from "../challenges/load-challenge.ts";
import type { ProviderChoice } from "../options.ts";
import { probeContainerRuntime } from "../services/docker/container-runtime.ts";
import { LocalProvider } from "../services/local/local-provider.ts";
import { Teardown } from "../services/teardown.ts";
import type { PostgresTarget, RedisTarget, ReplicatedPostgresTarget } from "../services/types.ts";
import { measureCold, measureFloor, measureWarm, type LatencyRow } from "./grade-latency.ts";
import { describeMachine, type MachineInfo } from "./machine.ts";
import { summarize, type Summary } from "./statistics.ts";
import { throughputBenches } from "./throughput/registry.ts";
import type { BenchConnections, ThroughputBench } from "./throughput/throughput-bench.ts";

export interface BenchOptions {
  only?: "grade" | "throughput";
  /** Repetitions per measurement. @default 3 */
  runs: number;
  /** Providers for grade latency. @default local, plus docker when a runtime answers */
  providers?: ProviderChoice[];
  /** Challenges to measure. @default every challenge */
  challenges?: string[];
}

export interface ThroughputRow {
  challenge: string;
  unit: string;
  referenceName: string;
  limitName: string;
  concurrency: number;
  reference: Summary;
  limit: Summary;
  ratio: number;
}

/** A target from the design, and whether this run met it. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

export interface BenchReport {
  machine: MachineInfo;
  at: string;
  grade: LatencyRow[];
  throughput: ThroughputRow[];
  /** Challenges without a throughput comparison yet. */
  unmeasured: string[];
  /** Measurements that could not be taken, and why. */
  failures: string[];
  targets: TargetCheck[];
}

async function measureThroughput(bench: ThroughputBench, runs: number): Promise<ThroughputRow> {
  const teardown = new Teardown();
  const connections: BenchConnections = {};
  try {
    const provider = new LocalProvider(teardown);
    await provider.start(bench.services);
    if (bench.services.includes("redis")) {
      const target = (await provider.allocate("redis", { exclusive: false })) as RedisTarget;
      connections.redis = new Redis({ host: target.host, port: target.port, db: target.db });
      teardown.add("bench redis client", () => connections.redis!.disconnect());
    }
    if (bench.services.includes("postgres")) {
      const target = (await provider.allocate("postgres", { exclusive: false })) as PostgresTarget;
      connections.pg = new pg.Pool({ host: target.host, port: target.port, user: target.user, password: target.password, database: target.database, max: bench.concurrency });
      // A connection the server cuts during teardown must not crash the bench.
      connections.pg.on("error", () => {});
      teardown.add("bench pg pool", () => connections.pg!.end());
    }
    if (bench.services.includes("replicated-postgres")) {
      const pair = (await provider.allocate("replicated-postgres", { exclusive: false })) as ReplicatedPostgresTarget;
      for (const side of ["primary", "replica"] as const) {
        const target = pair[side];
        const pool = new pg.Pool({ host: target.host, port: target.port, user: target.user, password: target.password, database: target.database, max: bench.concurrency });
        pool.on("error", () => {});
        connections[side] = pool;
        teardown.add(`bench ${side} pool`, () => pool.end());
      }
    }
    const reference: number[] = [];
    const limit: number[] = [];
    // Alternate, so drift in the machine's speed hits both sides alike.
    for (let i = 0; i < runs; i++) {
      limit.push(await bench.limit(connections));
      reference.push(await bench.reference(connections));
    }
    const row = { reference: summarize(reference), limit: summarize(limit) };
    return { challenge: bench.challenge, unit: bench.unit, referenceName: bench.referenceName, limitName: bench.limitName, concurrency: bench.concurrency, ...row, ratio: row.reference.median / row.limit.median };
  } finally {
    await teardown.run();
  }
}

function checkTargets(report: BenchReport): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const floor = report.grade.find((row) => row.kind === "floor");
  for (const row of report.grade.filter((candidate) => candidate.provider === "local")) {
    const ratio = `${row.ratioToFloor!.toFixed(2)}×`;
    if (floor && row.kind === "cold") checks.push({ target: `cold grade of ${row.challenge} (local) within 2.5× the floor`, measured: ratio, met: row.ratioToFloor! <= 2.5 });
    if (floor && row.kind === "warm") checks.push({ target: `warm full regrade of ${row.challenge} (local) within 1.6× the floor`, measured: ratio, met: row.ratioToFloor! <= 1.6 });
    if (row.kind === "stage") {
      const tests = row.testsSeconds ? ` (${row.testsSeconds.median.toFixed(2)} s of it the stage's own tests)` : "";
      checks.push({ target: `watch regrade of one ${row.challenge} stage (${row.stage}) within 0.4 s`, measured: `${row.seconds.median.toFixed(2)} s${tests}`, met: row.seconds.median <= 0.4 });
    }
  }
  for (const row of report.throughput) checks.push({ target: `${row.challenge} reference at 0.8× or better of its store's limit`, measured: `${row.ratio.toFixed(2)}×`, met: row.ratio >= 0.8 });
  return checks;
}

/** Runs the benchmarks; `progress` hears what is being measured. */
export async function runBench(options: BenchOptions, progress: (message: string) => void): Promise<BenchReport> {
  const challenges = options.challenges ?? listChallengeSlugs();
  const report: BenchReport = { machine: describeMachine(), at: new Date().toISOString(), grade: [], throughput: [], unmeasured: [], failures: [], targets: [] };
  if (options.only !== "throughput") {
    const providers = options.providers ?? ((await probeContainerRuntime()).ok ? ["local", "docker"] : ["local"]);
    progress("floor: process start + an empty vitest run");
    const floor = await measureFloor(options.runs);
    report.grade.push({ ...floor, ratioToFloor: 1 });
    for (const slug of challenges) {
      for (const provider of providers) {
        for (const kind of ["cold", "warm", "stage"] as const) {
          progress(`${slug}: ${kind} grade with ${provider}`);
          try {
            if (kind === "cold") report.grade.push(await measureCold(slug, provider, options.runs));
            else if (kind === "warm") report.grade.push(await measureWarm(slug, provider, options.runs));
            else report.grade.push(await measureWarm(slug, provider, options.runs, (await loadChallenge(slug)).stages[0]!.slug));
          } catch (error) {
            // One challenge that cannot be measured must not hide the others' figures.
            report.failures.push(`${slug} ${kind} (${provider}): ${((error as Error)?.message ?? String(error)).split("\n")[0]}`);
          }
        }
      }
    }
    for (const row of report.grade) row.ratioToFloor = row.seconds.median / floor.seconds.median;
  }
  if (options.only !== "grade") {
    for (const slug of challenges) {
      const bench = throughputBenches.find((candidate) => candidate.challenge === slug);
      if (!bench) {
        report.unmeasured.push(slug);
        continue;
      }
      progress(`${slug}: reference throughput against ${bench.limitName}`);
      try {
        report.throughput.push(await measureThroughput(bench, options.runs));
      } catch (error) {
        report.failures.push(`${slug} throughput: ${((error as Error)?.message ?? String(error)).split("\n")[0]}`);
      }
    }
  }
  report.targets = checkTargets(report);
  return report;
}
