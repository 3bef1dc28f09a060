import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { isProcessAlive } from "./process-alive.ts";

/**
 * An environment variable that every process in a family inherits, so the family can be
 * found after its parent is gone (a reparented child has no parent to search from, and a
 * detached one has a process group of its own). A child that scrubs its environment on
 * purpose escapes it; nothing else does.
 */
export interface ProcessMark {
  variable: string;
  value: string;
}

/** Pids of the processes whose environment carries `mark`, other than this process. */
export function processesMarked(mark: ProcessMark): number[] {
  const needle = `${mark.variable}=${mark.value}`;
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
    return processesMarkedByPs(needle);
  }
  const found: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let environment: string;
    try {
      environment = readFileSync(`/proc/${entry}/environ`, "latin1");
    } catch {
      continue; // gone, or not ours to read
    }
    if (environment.split("\0").includes(needle)) found.push(pid);
  }
  return found;
}

/** Without /proc (macOS, BSD), `ps -E` prints each process's environment after its command. */
function processesMarkedByPs(needle: string): number[] {
  let table: string;
  try {
    table = execFileSync("ps", ["-Aww", "-E", "-o", "pid=,command="], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return [];
  }
  return table
    .split("\n")
    .filter((line) => line.split(/\s+/).includes(needle))
    .map((line) => Number(line.trim().split(/\s+/)[0]))
    .filter((pid) => Number.isInteger(pid) && pid !== process.pid);
}

/** SIGKILLs every process carrying `mark`; returns how many were signalled. */
export function killMarked(mark: ProcessMark): number {
  let killed = 0;
  for (const pid of processesMarked(mark)) {
    try {
      process.kill(pid, "SIGKILL");
      killed++;
    } catch {
      // already gone
    }
  }
  return killed;
}

/**
 * A new mark for this process's family. Its value starts with this process's pid, so
 * a later grade can tell a family whose grade was killed (SIGKILL, a closed terminal)
 * from one whose grade is still running.
 */
export function newProcessMark(variable: string): ProcessMark {
  return { variable, value: `${process.pid}-${randomUUID()}` };
}

/**
 * SIGKILLs the processes marked by a grade that is gone: what a learner's code started
 * and its grade, killed before its teardown, left running. Needs /proc (Linux); elsewhere
 * such strays remain until their own end.
 */
export function killOrphanedMarks(variable: string): number {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
    return 0;
  }
  let killed = 0;
  for (const entry of entries) {
    let environment: string;
    try {
      environment = readFileSync(`/proc/${entry}/environ`, "latin1");
    } catch {
      continue;
    }
    const value = environment.split("\0").find((line) => line.startsWith(`${variable}=`))?.slice(variable.length + 1);
    const owner = Number(value?.split("-")[0]);
    if (!Number.isInteger(owner) || owner <= 0 || owner === process.pid || isProcessAlive(owner)) continue;
    try {
      process.kill(Number(entry), "SIGKILL");
      killed++;
    } catch {
      // already gone
    }
  }
  return killed;
}
