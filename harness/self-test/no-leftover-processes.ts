import { descendantsOf, processTable, type ProcessRow } from "../services/process-table.ts";

const isServer = (row: ProcessRow) => /redis-server|postgres/.test(row.command);

/** Redis and Postgres servers descended from `root` (a grade's CLI process). */
export function serversUnder(root: number): string[] {
  return descendantsOf(root)
    .filter(isServer)
    .map((row) => `${row.pid} ${row.command}`);
}

/** Redis and Postgres servers that were not running when the suite started. */
export function leftoverServers(): string[] {
  const baseline = new Set((process.env.KATAS_SELFTEST_BASELINE ?? "").split(",").map(Number));
  return processTable()
    .filter((row) => isServer(row) && !baseline.has(row.pid))
    .map((row) => `${row.pid} ${row.command}`);
}

export function setup(): void {
  process.env.KATAS_SELFTEST_BASELINE = processTable()
    .filter(isServer)
    .map((row) => row.pid)
    .join(",");
}

/** After the whole suite, no server started by it may remain. */
export function teardown(): void {
  const left = leftoverServers();
  if (left.length > 0) throw new Error(`Servers started by the self-test are still running:\n${left.join("\n")}`);
}
