import type { RedisOptions } from "ioredis";
import { beforeAll, inject, test, type TestContext } from "vitest";
import type { KatasRuntime, StageServices } from "../runner/katas-runtime.ts";
import type { GradedTestMeta } from "../runner/raw-run.ts";
import type { PostgresTarget, RedisTarget, ServiceTarget } from "../services/types.ts";
import { connectInstrumentedRedis, disconnectAll, type InstrumentedRedis } from "./instrumented-redis.ts";
import { createInstrumentedPool, endAll, type InstrumentedPool } from "./instrumented-postgres.ts";
import { MissingExportError, SolutionImportError } from "./solution-errors.ts";

/** Stops and starts, or hangs and resumes, the stage's own server of one kind. */
export interface ServerFaults {
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Freezes the server: connections are accepted and commands sent, but nothing answers until `resume()` (or the test ends). */
  pause(): Promise<void>;
  resume(): Promise<void>;
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

export function graded(id: string, options: GradedOptions, body: (t: GradedContext) => Promise<void>): void {
  const stage = id.slice(0, id.indexOf("."));
  const meta: GradedTestMeta = { id, stage, points: options.points, hint: options.hint, kind: options.kind };
  if (options.concurrent && !fileResetRegistered) {
    fileResetRegistered = true;
    beforeAll(() => resetStage(stageServices(stage)));
  }
  test(id, { timeout: options.timeoutMs ?? 3000, meta: { katas: meta }, concurrent: options.concurrent ?? false }, async (vitest) => {
    const services = stageServices(stage);
    const cleanups: (() => Promise<unknown> | unknown)[] = [];
    const stopped = new Set<string>();
    const paused = new Set<string>();
    vitest.onTestFinished(async () => {
      for (const serverId of paused) await callFaultServer(serverId, "resume").catch(() => {});
      for (const serverId of stopped) await callFaultServer(serverId, "start").catch(() => {});
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
      faults: (kind) => {
        const faults = runtime().faults;
        if ("unsupported" in faults) vitest.skip(faults.unsupported);
        const target = requireTarget(stage, kind);
        if (!target.exclusive) vitest.skip(`stage "${stage}" must declare faults: ["${kind}"] in challenge.ts to stop servers`);
        const serverId = target.serverId;
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
      },
      vitest,
    };
    await body(context);
  });
}
