import pg from "pg";
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

/** A pg pool on the stage's database that counts every query sent through it. */
export function createInstrumentedPool(target: PostgresTarget, config: pg.PoolConfig = {}): InstrumentedPool {
  const pool = new pg.Pool({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    max: 10,
    connectionTimeoutMillis: 3000,
    ...config,
  }) as InstrumentedPool;
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
  pool.on("error", () => {});
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | { text?: string; values?: unknown[] };
      const text = typeof first === "string" ? first : (first?.text ?? "");
      const values = typeof first === "string" ? (Array.isArray(args[1]) ? (args[1] as unknown[]) : undefined) : first?.values;
      traffic.queries++;
      traffic.statements.push(text);
      traffic.calls.push({ text, values });
      return query(...args);
    };
  });
  pool.traffic = traffic;
  return pool;
}
