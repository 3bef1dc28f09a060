import { execFile, execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { ServiceUnavailableError } from "../../errors.ts";
import type { ServerControl } from "../types.ts";
import { waitFor } from "../wait-for.ts";
import { findPostgresTool } from "./find-binary.ts";
import { freePort, startOnFreePort } from "./free-port.ts";
import type { RunDir } from "./run-dir.ts";
import { ServerProcess } from "./server-process.ts";

const execFileAsync = promisify(execFile);
export const localPostgresUser = "katas";

/** The Postgres binaries found on this machine (one major version), and that version. */
export interface PostgresBinaries {
  postgres: string;
  initdb: string;
  version: string;
}

export function requirePostgres(): PostgresBinaries {
  const postgres = findPostgresTool("postgres");
  const initdb = findPostgresTool("initdb");
  if (!postgres || !initdb) {
    throw new ServiceUnavailableError("postgres and initdb were not found on PATH or in the usual folders.", {
      hint: "Install PostgreSQL (Debian/Ubuntu: sudo apt-get install postgresql; macOS: brew install postgresql@16) or use Docker: --services docker.",
    });
  }
  const output = execFileSync(postgres, ["--version"], { encoding: "utf8" });
  return { postgres, initdb, version: /(\d+(\.\d+)?)/.exec(output)?.[1] ?? "unknown" };
}

/** initdb and postgres refuse to run as root; run them as an unprivileged user instead. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ["postgres", "nobody"]) {
    try {
      const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
      return { uid, gid };
    } catch {
      // try the next one
    }
  }
  throw new ServiceUnavailableError("Running as root, and no unprivileged user (postgres or nobody) exists to run Postgres as.", {
    hint: "Create one (useradd postgres) or run the grader as a normal user.",
  });
}

function chownTree(dir: string, owner: { uid: number; gid: number } | undefined): void {
  if (owner) execFileSync("chown", ["-R", `${owner.uid}:${owner.gid}`, dir]);
}

/**
 * An initialized cluster cached per Postgres version, so a grade copies it (~0.2 s)
 * instead of running initdb (~1 s).
 */
const templatesBuilding = new Map<string, Promise<string>>();

/** One build at a time per template and process: servers starting at once (a primary and its replica) share it. */
function templateCluster(binaries: PostgresBinaries, owner: { uid: number; gid: number } | undefined): Promise<string> {
  const key = `${binaries.initdb}:${owner?.uid ?? "self"}:${os.tmpdir()}`;
  let building = templatesBuilding.get(key);
  if (!building) {
    building = buildTemplateCluster(binaries, owner);
    templatesBuilding.set(key, building);
    const settled = () => templatesBuilding.delete(key);
    building.then(settled, settled);
  }
  return building;
}

async function buildTemplateCluster(binaries: PostgresBinaries, owner: { uid: number; gid: number } | undefined): Promise<string> {
  // As root the server runs as another user, who cannot enter root's home: cache in the temp folder instead.
  const cacheRoot = owner
    ? path.join(os.tmpdir(), "katas-postgres-cache")
    : path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "backend-katas");
  const template = path.join(cacheRoot, `postgres-${binaries.version}-template`);
  if (existsSync(path.join(template, "PG_VERSION"))) return template;
  mkdirSync(cacheRoot, { recursive: true, mode: 0o755 });
  const building = `${template}.${process.pid}.tmp`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { mode: 0o700 });
  chownTree(building, owner);
  try {
    await execFileAsync(
      binaries.initdb,
      ["-D", building, "-U", localPostgresUser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
      { uid: owner?.uid, gid: owner?.gid, cwd: building },
    );
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    const message = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new ServiceUnavailableError(`postgres did not start: initdb failed.\n${message}`, {
      cause: error,
      hint: owner && /Permission denied/.test(message)
        ? `Running as root, Postgres runs as another user, who must be able to enter ${os.tmpdir()} and every folder above it (chmod o+x), or set TMPDIR to a folder it can enter.`
        : "Check that the Postgres installation works: initdb -D <empty folder>.",
    });
  }
  try {
    renameSync(building, template);
  } catch {
    // Another grade finished the same template first; use theirs.
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}

/** How a cluster takes part in streaming replication; absent for a lone server. */
export interface ReplicationRole {
  /** `primary`: ships WAL and keeps it for a stopped replica; `standby`: streams from the primary on `primaryPort` and serves reads. */
  role: "primary" | "standby";
  primaryPort?: number;
  /** The port to listen on, chosen up front so a pair's two servers can start at the same time. */
  port?: number;
}

/** Server settings for a replication role, after the shared test tuning. */
function replicationArgs(replication: ReplicationRole | undefined): string[] {
  if (!replication) return ["-c", "synchronous_commit=off"];
  // Commits flush at once (cheap without fsync), so WAL reaches the replica now, not at the WAL writer's next 200 ms tick.
  // New WAL segments are not zero-filled: a suite that switches segments (pg_switch_wal) then writes kilobytes, not 16 MB each.
  const shared = ["-c", "synchronous_commit=on", "-c", "wal_writer_delay=10ms", "-c", "wal_init_zero=off"];
  if (replication.role === "primary") return [...shared, "-c", "wal_keep_size=256MB"];
  return [
    ...shared,
    "-c", `primary_conninfo=host=127.0.0.1 port=${replication.primaryPort} user=${localPostgresUser} application_name=katas_replica`,
    "-c", "hot_standby=on", "-c", "max_standby_streaming_delay=2s", "-c", "wal_receiver_status_interval=1s",
    // It may start before its primary accepts connections: retry soon, not after the default 5 s.
    "-c", "wal_retrieve_retry_interval=50ms",
  ];
}

/** A throwaway Postgres cluster on a free loopback port, tuned for tests (no fsync). */
export class LocalPostgres implements ServerControl {
  private constructor(
    readonly port: number,
    private readonly process: ServerProcess,
    /** Its data directory: how a probe tells this server from another one on the same port. */
    private readonly data: string,
  ) {}

  /**
   * Copies the cached template and starts it. With `replication`, a standby is a second
   * copy of the same cleanly shut-down template: a valid cold base backup of a primary
   * started from it, so it streams from the primary's first WAL record without the
   * checkpoint and copy that pg_basebackup would cost.
   */
  static async start(runDir: RunDir, binaries: PostgresBinaries, id: string, replication?: ReplicationRole): Promise<LocalPostgres> {
    // A pair's ports are the pair's to pick: the pair starts again as a whole instead (LocalProvider).
    if (replication) return LocalPostgres.startOnce(runDir, binaries, id, replication);
    // A retry copies the template into a folder of its own.
    return startOnFreePort((attempt) => LocalPostgres.startOnce(runDir, binaries, attempt === 1 ? id : `${id}-${attempt}`));
  }

  private static async startOnce(runDir: RunDir, binaries: PostgresBinaries, id: string, replication?: ReplicationRole): Promise<LocalPostgres> {
    const owner = serverUser();
    const template = await templateCluster(binaries, owner);
    const dir = path.join(runDir.path, id);
    const data = path.join(dir, "data");
    mkdirSync(dir, { recursive: true });
    // The server user must be able to pass through the run folder to reach its own.
    if (owner) chmodSync(runDir.path, 0o711);
    // A pair copies twice; GNU cp can leave the zeroed tail of the WAL segment as a hole instead of writing it.
    const sparse = replication && process.platform === "linux" ? ["--sparse=always"] : [];
    await execFileAsync("cp", ["-R", "-p", ...sparse, template, data]);
    if (replication?.role === "standby") writeFileSync(path.join(data, "standby.signal"), "");
    chownTree(dir, owner);
    const port = replication?.port ?? (await freePort());
    const args = [
      "-D", data, "-p", String(port), "-k", dir, "-h", "127.0.0.1",
      "-c", "fsync=off", ...replicationArgs(replication), "-c", "full_page_writes=off",
      "-c", "max_connections=300", "-c", "shared_buffers=32MB", "-c", "log_min_messages=warning",
    ];
    const server = new LocalPostgres(
      port,
      new ServerProcess(`postgres ${id}`, binaries.postgres, args, { uid: owner?.uid, gid: owner?.gid, cwd: dir }, (pid) => runDir.recordPid(pid)),
      data,
    );
    await server.start();
    return server;
  }

  async start(): Promise<void> {
    this.process.spawn();
    try {
      await waitFor(
        async () => {
          // Bounded: whatever took the port may accept and never answer, and a hung probe would outwait gaveUp and the deadline.
          const client = new pg.Client({ host: "127.0.0.1", port: this.port, user: localPostgresUser, database: "postgres", connectionTimeoutMillis: 1000, query_timeout: 1000 });
          client.on("error", () => {});
          await client.connect();
          try {
            // The port was free when picked, but another grade's server may have taken it since: only ours counts.
            const answer = await client.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
            return answer.rows[0]?.dir === this.data;
          } finally {
            // Not awaited: a server that stopped answering would not close its end either.
            client.end().catch(() => {});
          }
        },
        { timeoutMs: 10_000, intervalMs: 25, what: "postgres", gaveUp: () => (this.process.running ? undefined : `exited (port ${this.port})`) },
      );
    } catch (error) {
      await this.process.stop("SIGKILL");
      throw new ServiceUnavailableError(`postgres did not start: ${(error as Error).message}\n${this.process.recentOutput}`, { cause: error });
    }
  }

  stop(): Promise<void> {
    // SIGINT is Postgres' "fast shutdown": it disconnects clients instead of waiting for them.
    return this.process.stop("SIGINT");
  }

  /** Freezes the postmaster and every backend, so open connections hang as well as new ones. */
  async pause(): Promise<void> {
    this.process.pause();
  }

  async resume(): Promise<void> {
    this.process.resume();
  }
}
