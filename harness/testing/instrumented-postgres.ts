import type pg from "pg";
import type { PostgresTarget } from "../services/types.ts";

/** SQL a pool was given, counted as the server would see it. */
export interface SqlTraffic {
  queries: number;
  /** SQL text of each query, in order. */
  statements: string[];
  /** Each query with its parameters, so a test can EXPLAIN exactly what was run. */
  calls: { text: string; values?: unknown[] }[];
  reset(): void;
}

export type InstrumentedPool = pg.Pool & { traffic: SqlTraffic };

/**
 * A pg client class that records every query into `traffic`. The pool keeps it in its
 * options, so a pool built from the injected pool's options (`new Pool(pool.options)`)
 * counts against the same budgets.
 */
const clientsOf = new WeakMap<SqlTraffic, Set<pg.Client>>();

let driver: typeof pg | undefined;

/**
 * Loads pg, once per worker. Pools are created synchronously (`t.postgres()`), so the kit
 * awaits this before a file's tests; a worker of a Redis-only stage never pays for pg.
 */
export async function loadPostgresDriver(): Promise<void> {
  driver ??= (await import("pg")).default;
}

function postgresDriver(): typeof pg {
  if (!driver) throw new Error("pg is not loaded yet: await loadPostgresDriver() first (the kit does, before a stage that uses Postgres)");
  return driver;
}

function countingClient(traffic: SqlTraffic): typeof pg.Client {
  const pg = postgresDriver();
  const clients = new Set<pg.Client>();
  clientsOf.set(traffic, clients);
  class CountingClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      clients.add(this);
      this.once("end", () => clients.delete(this));
    }
  }
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (CountingClient.prototype as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; values?: unknown[] };
    const text = typeof first === "string" ? first : (first?.text ?? "");
    const values = typeof first === "string" ? (Array.isArray(args[1]) ? (args[1] as unknown[]) : undefined) : first?.values;
    traffic.queries++;
    traffic.statements.push(text);
    traffic.calls.push({ text, values });
    return query.apply(this, args);
  };
  return CountingClient;
}

/** Ends the pool, and every connection opened with its options outside it (a pool of the implementation's own). */
export async function endAll(pool: InstrumentedPool): Promise<void> {
  await pool.end();
  await Promise.allSettled([...(clientsOf.get(pool.traffic) ?? [])].map((client) => client.end()));
}

/** A pg pool on the stage's database that counts every query sent through it. */
export function createInstrumentedPool(target: PostgresTarget, config: pg.PoolConfig = {}): InstrumentedPool {
  const traffic: SqlTraffic = {
    queries: 0,
    statements: [],
    calls: [],
    reset() {
      this.queries = 0;
      this.statements = [];
      this.calls = [];
    },
  };
  const pool = new (postgresDriver().Pool)({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    max: 10,
    connectionTimeoutMillis: 3000,
    ...config,
    Client: countingClient(traffic),
  }) as InstrumentedPool;
  pool.on("error", () => {});
  pool.traffic = traffic;
  return pool;
}
