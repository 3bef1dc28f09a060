import { killMarked, type ProcessMark } from "../services/process-marks.ts";
import { descendantsOf, processTable } from "../services/process-table.ts";

const isVitestWorker = (command: string) => command.includes("vitest");

/**
 * Kills vitest worker processes descended from this process. A learner's code stuck in
 * a synchronous loop never yields to vitest, so its worker must be killed from outside.
 */
export function killVitestWorkers(): number {
  let killed = 0;
  for (const row of descendantsOf(process.pid)) {
    if (!isVitestWorker(row.command)) continue;
    try {
      process.kill(row.pid, "SIGKILL");
      killed++;
    } catch {
      // already gone
    }
  }
  return killed;
}

/**
 * Kills every process the implementation started: those still below a vitest worker,
 * and those carrying the grade's mark (which every process a worker starts inherits,
 * even once reparented or detached into a process group of its own).
 */
export function killLearnerProcesses(mark: ProcessMark): number {
  let killed = 0;
  const rows = processTable();
  const workers = descendantsOf(process.pid, rows).filter((row) => isVitestWorker(row.command));
  for (const worker of workers) {
    for (const row of descendantsOf(worker.pid, rows)) {
      try {
        process.kill(row.pid, "SIGKILL");
        killed++;
      } catch {
        // already gone
      }
    }
  }
  return killed + killMarked(mark);
}
