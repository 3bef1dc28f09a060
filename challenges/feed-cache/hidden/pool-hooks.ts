/**
 * Hooks on the results a pool hands back (not a test file). They wrap each connection's
 * query the way the instrumented pool counts them, so they see every query however the
 * implementation sends it (pool.query, or a checked-out client).
 */
import type pg from "pg";
import type { InstrumentedPool } from "../../../harness/testing/index.ts";

type Callback = (error: Error | null, result?: pg.QueryResult) => void;

/** Calls `after(result)` before the implementation sees each query's result, and waits for it. */
function interceptResults(pool: InstrumentedPool, after: (result: pg.QueryResult | undefined, error: unknown) => Promise<void> | void): void {
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

/** A gate on a fresh pool: while closed, every query runs but its result is held back until `open()`. */
export function gatePool(pool: InstrumentedPool) {
  let closed = false;
  let held = 0;
  let open: () => void = () => {};
  let opened: Promise<void> = Promise.resolve();
  interceptResults(pool, async () => {
    if (!closed) return;
    held++;
    await opened;
  });
  return {
    /** Results of queries sent from now on are held. */
    close() {
      closed = true;
      opened = new Promise((resolve) => (open = resolve));
    },
    /** Releases every held result; later queries run freely. */
    open() {
      closed = false;
      open();
    },
    /** How many results are being held. */
    get held() {
      return held;
    },
  };
}

/** Counts query results that contain `text` in any row, e.g. a unique post body. */
export function watchResults(pool: InstrumentedPool, text: string) {
  const seen = { results: 0 };
  interceptResults(pool, (result) => {
    const rows = Array.isArray(result) ? (result as pg.QueryResult[]).map((one) => one.rows) : result?.rows;
    if (rows && JSON.stringify(rows).includes(text)) seen.results++;
  });
  return seen;
}
