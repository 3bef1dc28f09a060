import type { RedisOptions } from "ioredis";
import { beforeAll, inject, test, type TestContext } from "vitest";
import type { KatasRuntime, StageServices } from "../runner/katas-runtime.ts";
import type { GradedTestMeta } from "../runner/raw-run.ts";
import { pauseReplay, replicationPositions, resumeReplay, waitForReplay, type ReplicationPositions } from "../services/replication-admin.ts";
import type { PostgresTarget, RedisTarget, ReplicatedPostgresTarget, ServiceTarget } from "../services/types.ts";
import { connectInstrumentedRedis, disconnectAll, type InstrumentedRedis } from "./instrumented-redis.ts";
import { createInstrumentedPool, endAll, loadPostgresDriver, type InstrumentedPool } from "./instrumented-postgres.ts";
import { MissingExportError, SolutionImportError } from "./solution-errors.ts";

/** Stops and starts, or hangs and resumes, the stage's own server of one kind. */
export interface ServerFaults {
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Freezes the server: connections are accepted and commands sent, but nothing answers until `resume()` (or the test ends). */
  pause(): Promise<void>;
  resume(): Promise<void>;
}

/** The stage's Postgres primary and its streaming replica (`services: ["replicated-postgres"]`). */
export interface ReplicationContext {
  /** A new pool on the primary's database that counts its queries; closed after the test. */
  primary(): InstrumentedPool;
  /** A new pool on the replica's copy of the same database (read-only); closed after the test. */
  replica(): InstrumentedPool;
  /** `pg_current_wal_lsn()` on the primary and `pg_last_wal_replay_lsn()` on the replica. */
  positions(): Promise<ReplicationPositions>;
  /** Waits (bounded) until the replica has replayed everything the primary has written so far. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Pauses WAL replay and waits until it stopped: the replica keeps receiving WAL but its readers see a frozen snapshot. Resumed after the test. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Stops, starts, freezes or thaws the replica server alone (the primary keeps running); skips the test when the provider cannot. */
  replicaFaults(): ServerFaults;
}

/** What every graded test receives. */
export interface GradedContext {
  /** The implementation under test, checked for the challenge's exports. */
  solution<T>(): Promise<T>;
  /** The reference solution, for side-by-side comparisons only. */
  reference<T>(): Promise<T>;
  /** A new connection to this stage's Redis database; closed after the test, with every connection made from it. */
  redis(overrides?: RedisOptions): Promise<InstrumentedRedis>;
  /** A new pool on this stage's Postgres database; closed after the test, with every connection made from its options. */
  postgres(): InstrumentedPool;
  /** The stage's primary and replica, with replay and replica fault control. */
  replication(): ReplicationContext;
  /** Skips the test unless this stage has a server of its own, for server-wide commands like SCRIPT FLUSH. */
  requireOwnServer(kind: "redis" | "postgres"): void;
  /** Fault injection; skips the test with the reason when the provider cannot. */
  faults(kind: "redis" | "postgres"): ServerFaults;
  /** The vitest context, for `skip`, `annotate` and friends. */
  vitest: TestContext;
}

export interface GradedOptions {
  points: number;
  /** Per-test timeout. @default 3000 */
  timeoutMs?: number;
  /** Shown under a failed assertion: what usually causes it. */
  hint?: string;
  /**
   * Run alongside the file's other concurrent tests (for tests that mostly wait on real
   * time). The stage is reset once before the file instead of before each test, so
   * concurrent tests must use keys of their own. @default false
   */
  concurrent?: boolean;
  /** @internal used by throughputComparison */
  kind?: "measurement";
}

function runtime(): KatasRuntime {
  return inject("katas");
}

function stageServices(stage: string): StageServices {
  const services = runtime().stages[stage];
  if (!services) throw new Error(`hidden test for stage "${stage}" runs, but the runner provisioned nothing for it`);
  return services;
}

function requireTarget<K extends "redis" | "postgres">(stage: string, kind: K): K extends "redis" ? RedisTarget : PostgresTarget {
  const target = stageServices(stage)[kind] as ServiceTarget | undefined;
  if (!target) throw new Error(`stage "${stage}" uses ${kind}, but the challenge does not declare it in services`);
  return target as K extends "redis" ? RedisTarget : PostgresTarget;
}

async function importChecked<T>(load: () => Promise<unknown>, exports: readonly string[]): Promise<T> {
  let module: Record<string, unknown>;
  try {
    module = (await load()) as Record<string, unknown>;
  } catch (error) {
    const cause = error as Error;
    throw new SolutionImportError(`Your code threw while it was being loaded: ${cause?.name ?? "Error"}: ${cause?.message ?? String(error)}`, { cause });
  }
  const missing = exports.filter((name) => typeof module[name] !== "function");
  if (missing.length > 0) {
    throw new MissingExportError(`Your module does not export ${missing.map((name) => `\`${name}\``).join(", ")} as a function (it exports: ${Object.keys(module).join(", ") || "nothing"}).`);
  }
  return module as T;
}

function requireReplicated(stage: string): ReplicatedPostgresTarget {
  const target = stageServices(stage).replicatedPostgres;
  if (!target) throw new Error(`stage "${stage}" uses a primary and replica, but the challenge does not declare "replicated-postgres" in services`);
  return target;
}

async function resetStage(services: StageServices): Promise<void> {
  if (services.redis) {
    // The stage's database is ours alone (and was empty in url mode), so flushing it touches nobody's data.
    const admin = await connectInstrumentedRedis(services.redis, { enableOfflineQueue: true, maxRetriesPerRequest: 3 });
    try {
      await admin.flushdb();
    } finally {
      admin.disconnect();
    }
  }
  if (services.postgres) {
    const pool = createInstrumentedPool(services.postgres, { max: 1 });
    try {
      await pool.query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
    } finally {
      await pool.end();
    }
  }
  const pair = services.replicatedPostgres;
  if (pair) {
    // A test that ended early may have left replay paused; the next one starts from a replica that has caught up.
    if (pair.exclusive) await resumeReplay(pair.replica);
    const pool = createInstrumentedPool(pair.primary, { max: 1 });
    try {
      await pool.query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
    } finally {
      await pool.end();
    }
    await waitForReplay(pair.primary, pair.replica);
  }
}

/** How long the warm-up waits for the implementation to load; a slower load is the first test's to report. */
const implementationWarmUpMs = 5000;

/**
 * Loads, before the file's first test and outside its timeout, what that test would otherwise
 * load inside it: the drivers the stage uses (a second or more of compiling on a loaded
 * machine) and the implementation. Only the stage's tests report a failure to load.
 */
async function warmUp(services: StageServices | undefined): Promise<void> {
  await Promise.all([
    services?.postgres || services?.replicatedPostgres ? loadPostgresDriver() : undefined,
    services?.redis ? import("ioredis") : undefined,
  ]);
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise((resolve) => (timer = setTimeout(resolve, implementationWarmUpMs)));
  await Promise.race([import("@solution").catch(() => {}), waited]);
  clearTimeout(timer);
}

async function callFaultServer(serverId: string, action: "stop" | "start" | "pause" | "resume"): Promise<void> {
  const faults = runtime().faults;
  if ("unsupported" in faults) throw new Error(faults.unsupported);
  const response = await fetch(`${faults.url}/servers/${serverId}/${action}`, { method: "POST", headers: { authorization: `Bearer ${faults.token}` } });
  if (!response.ok) throw new Error(`could not ${action} ${serverId}: ${response.status} ${await response.text()}`);
}

/**
 * Declares a graded test. `id` is `stage.behaviour`; the stage is the hidden file's
 * slug. The test starts on an empty database and its clients are closed afterwards.
 */
let fileResetRegistered = false;
let warmUpRegistered = false;

export function graded(id: string, options: GradedOptions, body: (t: GradedContext) => Promise<void>): void {
  const stage = id.slice(0, id.indexOf("."));
  const meta: GradedTestMeta = { id, stage, points: options.points, hint: options.hint, kind: options.kind };
  if (!warmUpRegistered) {
    warmUpRegistered = true;
    beforeAll(() => warmUp(runtime().stages[stage]));
  }
  if (options.concurrent && !fileResetRegistered) {
    fileResetRegistered = true;
    beforeAll(() => resetStage(stageServices(stage)));
  }
  test(id, { timeout: options.timeoutMs ?? 3000, meta: { katas: meta }, concurrent: options.concurrent ?? false }, async (vitest) => {
    const services = stageServices(stage);
    const cleanups: (() => Promise<unknown> | unknown)[] = [];
    const stopped = new Set<string>();
    const paused = new Set<string>();
    let replayPaused: PostgresTarget | undefined;
    vitest.onTestFinished(async () => {
      for (const serverId of paused) await callFaultServer(serverId, "resume").catch(() => {});
      for (const serverId of stopped) await callFaultServer(serverId, "start").catch(() => {});
      if (replayPaused) await resumeReplay(replayPaused).catch(() => {});
      await Promise.allSettled(cleanups.map((cleanup) => cleanup()));
    });
    if (!options.concurrent) await resetStage(services);
    const context: GradedContext = {
      solution: <T>() => importChecked<T>(() => import("@solution"), runtime().exports),
      reference: <T>() => importChecked<T>(() => import("@reference"), runtime().exports),
      redis: async (overrides) => {
        const client = await connectInstrumentedRedis(requireTarget(stage, "redis"), overrides);
        cleanups.push(() => disconnectAll(client));
        return client;
      },
      postgres: () => {
        const pool = createInstrumentedPool(requireTarget(stage, "postgres"));
        cleanups.push(() => endAll(pool));
        return pool;
      },
      requireOwnServer: (kind) => {
        if (!requireTarget(stage, kind).exclusive) {
          const faults = runtime().faults;
          vitest.skip("unsupported" in faults ? faults.unsupported : `stage "${stage}" must declare ownServer: ["${kind}"] in challenge.ts`);
        }
      },
      replication: () => {
        const pair = requireReplicated(stage);
        const pool = (target: PostgresTarget) => {
          const created = createInstrumentedPool(target);
          cleanups.push(() => endAll(created));
          return created;
        };
        const requireExclusive = () => {
          const faults = runtime().faults;
          if ("unsupported" in faults) vitest.skip(faults.unsupported);
          if (!pair.exclusive) vitest.skip(`stage "${stage}" must declare faults: ["replicated-postgres"] in challenge.ts to pause replay or stop the replica`);
        };
        return {
          primary: () => pool(pair.primary),
          replica: () => pool(pair.replica),
          positions: () => replicationPositions(pair.primary, pair.replica),
          caughtUp: (timeoutMs) => waitForReplay(pair.primary, pair.replica, timeoutMs),
          pauseReplay: async () => {
            requireExclusive();
            replayPaused = pair.replica;
            await pauseReplay(pair.replica);
          },
          resumeReplay: async () => {
            await resumeReplay(pair.replica);
            replayPaused = undefined;
          },
          replicaFaults: () => {
            requireExclusive();
            return serverFaults(pair.replica.serverId);
          },
        };
      },
      faults: (kind) => {
        const faults = runtime().faults;
        if ("unsupported" in faults) vitest.skip(faults.unsupported);
        const target = requireTarget(stage, kind);
        if (!target.exclusive) vitest.skip(`stage "${stage}" must declare faults: ["${kind}"] in challenge.ts to stop servers`);
        return serverFaults(target.serverId);
      },
      vitest,
    };
    function serverFaults(serverId: string): ServerFaults {
      return {
        stop: async () => {
          stopped.add(serverId);
          await callFaultServer(serverId, "stop");
        },
        start: async () => {
          await callFaultServer(serverId, "start");
          stopped.delete(serverId);
        },
        pause: async () => {
          paused.add(serverId);
          await callFaultServer(serverId, "pause");
        },
        resume: async () => {
          await callFaultServer(serverId, "resume");
          paused.delete(serverId);
        },
      };
    }
    await body(context);
  });
}
