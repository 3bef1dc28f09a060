import { chmodSync, mkdtempSync, readlinkSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { descendantsOf, processTable, type ProcessRow } from "../services/process-table.ts";

const isServer = (row: ProcessRow) => /redis-server|postgres/.test(row.command);

/** Redis and Postgres servers descended from `root` (a grade's CLI process). */
export function serversUnder(root: number): string[] {
  return descendantsOf(root)
    .filter(isServer)
    .map((row) => `${row.pid} ${row.command}`);
}

/** Where a process runs: servers the grader starts run in their run folder (Redis chdirs to its --dir). */
function workingDirectory(row: ProcessRow): string {
  try {
    return readlinkSync(`/proc/${row.pid}/cwd`);
  } catch {
    return row.command; // no /proc (macOS): Postgres names its data folder on the command line
  }
}

/**
 * Redis and Postgres servers started by this self-test run that are still running. The
 * self-test gives its grades a temp folder of their own, so servers that another program
 * (or another self-test) runs never count.
 */
export function leftoverServers(root = process.env.KATAS_SELFTEST_TMPDIR ?? ""): string[] {
  if (!root) return [];
  return processTable()
    .filter((row) => isServer(row) && workingDirectory(row).startsWith(root))
    .map((row) => `${row.pid} ${row.command}`);
}

export function setup(): void {
  const root = mkdtempSync(path.join(os.tmpdir(), "katas-selftest-"));
  // Postgres runs as its own user when we are root, and must reach its run folder in here.
  chmodSync(root, 0o755);
  process.env.KATAS_SELFTEST_TMPDIR = root;
  process.env.TMPDIR = root;
}

/** After the whole suite, no server started by it may remain. */
export function teardown(): void {
  const root = process.env.KATAS_SELFTEST_TMPDIR!;
  const left = leftoverServers(root);
  if (left.length > 0) {
    // vitest reports a throw from a global teardown but still exits 0; the run must fail.
    process.exitCode = 1;
    throw new Error(`Servers started by the self-test are still running:\n${left.join("\n")}`);
  }
  rmSync(root, { recursive: true, force: true });
}
