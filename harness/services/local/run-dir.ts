import { execFileSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import createDebug from "debug";
import { isProcessAlive } from "../process-alive.ts";

const debug = createDebug("katas:local");
const prefix = "backend-katas-";

/**
 * A temp folder owned by this grade: servers keep their data and sockets here and
 * every spawned pid is written down, so a later run can reap what a killed run left.
 */
export class RunDir {
  readonly path: string;

  constructor() {
    reapStaleRunDirs();
    this.path = mkdtempSync(path.join(os.tmpdir(), `${prefix}${process.pid}-`));
    writeFileSync(path.join(this.path, "owner.pid"), String(process.pid));
  }

  recordPid(pid: number): void {
    appendFileSync(path.join(this.path, "pids"), `${pid}\n`);
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

function commandOf(pid: number): string {
  try {
    return execFileSync("ps", ["-p", String(pid), "-o", "command="], { encoding: "utf8" });
  } catch {
    return "";
  }
}

/** Kills servers left by grades whose process is gone (SIGKILL, power loss) and removes their folders. */
export function reapStaleRunDirs(): void {
  let entries: string[];
  try {
    entries = readdirSync(os.tmpdir()).filter((name) => name.startsWith(prefix));
  } catch {
    return;
  }
  for (const name of entries) {
    const dir = path.join(os.tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(path.join(dir, "owner.pid"), "utf8"));
    } catch {
      continue;
    }
    if (!Number.isInteger(owner) || isProcessAlive(owner)) continue;
    let pids: number[] = [];
    try {
      pids = readFileSync(path.join(dir, "pids"), "utf8").split("\n").filter(Boolean).map(Number);
    } catch {
      // no servers were started
    }
    for (const pid of pids) {
      // The pid may have been reused; only kill what is still a redis-server or postgres.
      if (isProcessAlive(pid) && /redis-server|postgres/.test(commandOf(pid))) {
        debug("reaping stale server %d from %s", pid, dir);
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
