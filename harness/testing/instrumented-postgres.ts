import pg from "pg";
import type { PostgresTarget } from "../services/types.ts";

/** SQL a pool was given, counted as the server would see it. */
export interface SqlTraffic {
  queries: number;
  statements: string[];
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
    reset() {
      this.queries = 0;
      this.statements = [];
    },
  };
  pool.on("error", () => {});
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | { text?: string };
      traffic.queries++;
      traffic.statements.push(typeof first === "string" ? first : (first?.text ?? ""));
      return query(...args);
    };
  });
  pool.traffic = traffic;
  return pool;
}
