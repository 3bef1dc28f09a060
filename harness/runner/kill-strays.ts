import { execFileSync } from "node:child_process";

/**
 * Kills vitest worker processes descended from this process. A learner's code stuck in
 * a synchronous loop never yields to vitest, so its worker must be killed from outside.
 */
export function killVitestWorkers(): number {
  let table: string;
  try {
    table = execFileSync("ps", ["-A", "-o", "pid=,ppid=,command="], { encoding: "utf8" });
  } catch {
    return 0;
  }
  const rows = table
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), command: match[3]! }));
  const descendants = new Set<number>([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const row of rows) {
      if (descendants.has(row.ppid) && !descendants.has(row.pid)) {
        descendants.add(row.pid);
        grew = true;
      }
    }
  }
  let killed = 0;
  for (const row of rows) {
    if (row.pid !== process.pid && descendants.has(row.pid) && row.command.includes("vitest")) {
      try {
        process.kill(row.pid, "SIGKILL");
        killed++;
      } catch {
        // already gone
      }
    }
  }
  return killed;
}
