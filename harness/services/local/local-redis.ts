import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { ServiceUnavailableError } from "../../errors.ts";
import { redisRawCommand } from "../redis-ping.ts";
import type { ServerControl } from "../types.ts";
import { waitFor } from "../wait-for.ts";
import { findBinary } from "./find-binary.ts";
import { freePort, startOnFreePort } from "./free-port.ts";
import type { RunDir } from "./run-dir.ts";
import { ServerProcess } from "./server-process.ts";

/** How many logical databases a local server offers: one per hidden file. */
export const localRedisDatabases = 64;

/** The redis-server binary, or a UserError saying how to install it. */
export function requireRedisServer(): string {
  const binary = findBinary("redis-server");
  if (!binary) {
    throw new ServiceUnavailableError("redis-server was not found on PATH or in the usual folders.", {
      hint: "Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or use Docker: --services docker.",
    });
  }
  return binary;
}

export function redisServerVersion(binary: string): string {
  const output = execFileSync(binary, ["--version"], { encoding: "utf8" });
  return /v=(\S+)/.exec(output)?.[1] ?? "unknown";
}

/** A redis-server on a free loopback port, in memory only, data in the run folder. */
export class LocalRedis implements ServerControl {
  private constructor(
    readonly port: number,
    private readonly process: ServerProcess,
  ) {}

  static async start(runDir: RunDir, binary: string, id: string): Promise<LocalRedis> {
    return startOnFreePort(() => LocalRedis.startOnce(runDir, binary, id));
  }

  private static async startOnce(runDir: RunDir, binary: string, id: string): Promise<LocalRedis> {
    const dir = path.join(runDir.path, id);
    mkdirSync(dir, { recursive: true });
    const port = await freePort();
    const args = [
      "--port", String(port), "--bind", "127.0.0.1", "--dir", dir,
      "--save", "", "--appendonly", "no", "--databases", String(localRedisDatabases),
      "--protected-mode", "no", "--daemonize", "no", "--loglevel", "warning",
    ];
    const server = new LocalRedis(port, new ServerProcess(`redis ${id}`, binary, args, {}, (pid) => runDir.recordPid(pid)));
    await server.start();
    return server;
  }

  async start(): Promise<void> {
    this.process.spawn();
    try {
      // The port was free when picked, but another grade's server may have taken it since: only ours counts.
      await waitFor(async () => (await redisRawCommand("127.0.0.1", this.port, ["INFO", "server"], 200)).includes(`process_id:${this.process.pid}\r\n`), {
        timeoutMs: 5000,
        what: "redis-server",
        gaveUp: () => (this.process.running ? undefined : `exited (port ${this.port})`),
      });
    } catch (error) {
      await this.process.stop("SIGKILL");
      throw new ServiceUnavailableError(`redis-server did not start: ${(error as Error).message}\n${this.process.recentOutput}`, { cause: error });
    }
  }

  stop(): Promise<void> {
    return this.process.stop();
  }

  async pause(): Promise<void> {
    this.process.pause();
  }

  async resume(): Promise<void> {
    this.process.resume();
  }
}
