/**
 * A gate on a pool (not a test file): while closed, every query still runs, but its result
 * is held back from the implementation until the gate opens. It wraps each connection's
 * query, so it sees queries however they are sent (pool.query or a checked-out client).
 */
import type { InstrumentedPool } from "../../../harness/testing/index.ts";

type Callback = (error: Error | null, result?: unknown) => void;

export function gatePool(pool: InstrumentedPool) {
  let closed = false;
  let held = 0;
  let open: () => void = () => {};
  let opened: Promise<void> = Promise.resolve();
  const hold = async () => {
    if (!closed) return;
    held++;
    await opened;
  };
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const last = args.length - 1;
      if (typeof args[last] === "function") {
        const callback = args[last] as Callback;
        args[last] = (error: Error | null, result?: unknown) => void hold().then(() => callback(error, result));
        return query(...args);
      }
      const pending = query(...args) as Promise<unknown> | undefined;
      if (!pending || typeof pending.then !== "function") return pending;
      return pending.then(
        async (result) => {
          await hold();
          return result;
        },
        async (error: unknown) => {
          await hold();
          throw error;
        },
      );
    };
  });
  return {
    /** Results of queries from now on are held. */
    close() {
      closed = true;
      opened = new Promise((resolve) => (open = resolve));
    },
    /** Releases every held result; later queries run freely. */
    open() {
      closed = false;
      open();
    },
    get held() {
      return held;
    },
  };
}
