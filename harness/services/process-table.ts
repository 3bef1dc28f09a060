import { execFileSync } from "node:child_process";

/** One running process, as `ps` lists it. */
export interface ProcessRow {
  pid: number;
  ppid: number;
  command: string;
}

/** Every process on the machine (empty if `ps` is unavailable). */
export function processTable(): ProcessRow[] {
  let table: string;
  try {
    table = execFileSync("ps", ["-A", "-o", "pid=,ppid=,command="], { encoding: "utf8" });
  } catch {
    return [];
  }
  return table
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), command: match[3]! }));
}

/** The processes descended from `root` (not `root` itself). */
export function descendantsOf(root: number, rows: ProcessRow[] = processTable()): ProcessRow[] {
  const family = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) {
      if (family.has(row.ppid) && !family.has(row.pid)) {
        family.add(row.pid);
        grew = true;
      }
    }
  }
  return rows.filter((row) => row.pid !== root && family.has(row.pid));
}
