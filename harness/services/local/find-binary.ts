import { accessSync, constants, readdirSync } from "node:fs";
import path from "node:path";

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Postgres bin folders distributions use, newest major version first. */
function postgresBinDirs(): string[] {
  const dirs: string[] = [];
  for (const root of ["/usr/lib/postgresql", "/usr/local/opt", "/opt/homebrew/opt"]) {
    try {
      const versions = readdirSync(root)
        .filter((name) => /^\d+$/.test(name) || /^postgresql(@\d+)?$/.test(name))
        .sort((a, b) => Number(b.replace(/\D/g, "") || 0) - Number(a.replace(/\D/g, "") || 0));
      dirs.push(...versions.map((version) => path.join(root, version, "bin")));
    } catch {
      // folder absent on this system
    }
  }
  return dirs;
}

/** Finds an executable on PATH or in the usual install folders. */
export function findBinary(name: string): string | undefined {
  const pathDirs = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const extra = ["/usr/bin", "/usr/local/bin", "/usr/sbin", "/opt/homebrew/bin", ...(name === "redis-server" ? [] : postgresBinDirs())];
  for (const dir of [...pathDirs, ...extra]) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Finds a Postgres tool, preferring the folder the server binary lives in. */
export function findPostgresTool(name: "postgres" | "initdb"): string | undefined {
  for (const dir of postgresBinDirs()) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return findBinary(name);
}
