import { execFileSync } from "node:child_process";

interface ProcessRow {
  pid: number;
  ppid: number;
  command: string;
}

function processTable(): ProcessRow[] {
  return execFileSync("ps", ["-A", "-o", "pid=,ppid=,command="], { encoding: "utf8" })
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), command: match[3]! }));
}

const isServer = (row: ProcessRow) => /redis-server|postgres/.test(row.command);

/** Redis and Postgres servers descended from `root` (a grade's CLI process). */
export function serversUnder(root: number): string[] {
  const rows = processTable();
  const family = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) if (family.has(row.ppid) && !family.has(row.pid)) grew = family.add(row.pid) !== undefined;
  }
  return rows.filter((row) => family.has(row.pid) && isServer(row)).map((row) => `${row.pid} ${row.command}`);
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
