import type pg from "pg";
import type { InstrumentedPool } from "./instrumented-postgres.ts";

type Callback = (error: Error | null, result?: pg.QueryResult) => void;

/**
 * Calls `after(result, error)` before the implementation sees each query's outcome, and
 * waits for it. It wraps each new connection's query the way the instrumented pool counts
 * them, so it sees every query however the implementation sends it (pool.query, or a
 * checked-out client), with a callback or a promise.
 */
export function interceptResults(pool: InstrumentedPool, after: (result: pg.QueryResult | undefined, error: unknown) => Promise<void> | void): void {
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const last = args.length - 1;
      if (typeof args[last] === "function") {
        const callback = args[last] as Callback;
        args[last] = (error: Error | null, result?: pg.QueryResult) => {
          Promise.resolve(after(result, error)).then(() => callback(error, result));
        };
        return query(...args);
      }
      const pending = query(...args);
      if (!pending || typeof (pending as Promise<unknown>).then !== "function") return pending;
      return (pending as Promise<pg.QueryResult>).then(
        async (result) => {
          await after(result, undefined);
          return result;
        },
        async (error: unknown) => {
          await after(undefined, error);
          throw error;
        },
      );
    };
  });
}

/** Holds back query results on one pool, so a test can stop a reader right after Postgres answered it. */
export interface PoolGate {
  /** Results of queries answered from now on are held back. */
  close(): void;
  /** Releases every held result; later queries run freely. */
  open(): void;
  /** How many results have been held back since the pool was gated. */
  readonly held: number;
}

/**
 * Gates a fresh pool: while the gate is closed, every query still runs in Postgres (its
 * locks, if any, are taken), but the implementation does not see the result until
 * `open()`. Gate the pool before handing it to the implementation: connections opened
 * earlier are not gated.
 */
export function gatePool(pool: InstrumentedPool): PoolGate {
  if (pool.totalCount > 0) throw new Error("gatePool needs a pool that has not connected yet");
  let closed = false;
  let held = 0;
  let release: () => void = () => {};
  let opened: Promise<void> = Promise.resolve();
  interceptResults(pool, async () => {
    if (!closed) return;
    held++;
    await opened;
  });
  return {
    close() {
      if (closed) return;
      closed = true;
      opened = new Promise((resolve) => (release = resolve));
    },
    open() {
      closed = false;
      release();
    },
    get held() {
      return held;
    },
  };
}
