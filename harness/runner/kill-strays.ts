import { descendantsOf } from "../services/process-table.ts";

/**
 * Kills vitest worker processes descended from this process. A learner's code stuck in
 * a synchronous loop never yields to vitest, so its worker must be killed from outside.
 */
export function killVitestWorkers(): number {
  let killed = 0;
  for (const row of descendantsOf(process.pid)) {
    if (!row.command.includes("vitest")) continue;
    try {
      process.kill(row.pid, "SIGKILL");
      killed++;
    } catch {
      // already gone
    }
  }
  return killed;
}
