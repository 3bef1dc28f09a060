import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import createDebug from "debug";
import { descendantsOf } from "../process-table.ts";

const debug = createDebug("katas:local");

/** A server we spawned: stop it (gracefully, then by force) and start it again with the same arguments. */
export class ServerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private output = "";
  /** Pids frozen by `pause()`, to thaw on `resume()` or before a stop. */
  private frozen: number[] = [];

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly spawnOptions: SpawnOptions,
    private readonly onSpawn: (pid: number) => void,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last lines the server printed, for error messages. */
  get recentOutput(): string {
    return this.output.split("\n").slice(-8).join("\n");
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  spawn(): void {
    const child = spawn(this.command, this.args, { ...this.spawnOptions, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    const collect = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    child.once("error", (error) => {
      this.output += `\n${error.message}`;
    });
    if (child.pid !== undefined) this.onSpawn(child.pid);
    debug("%s started as pid %s", this.name, child.pid);
  }

  /** SIGSTOPs the server and every process it forked (a Postgres backend per connection): the kernel still accepts connections and buffers requests, nothing answers. */
  pause(): void {
    const pid = this.child?.pid;
    if (pid === undefined || !this.running || this.frozen.length > 0) return;
    const family = [pid, ...descendantsOf(pid).map((row) => row.pid)];
    for (const member of family) signal(member, "SIGSTOP");
    this.frozen = family;
    debug("%s paused (%d processes)", this.name, family.length);
  }

  /** SIGCONTs what `pause()` froze. */
  resume(): void {
    for (const member of this.frozen) signal(member, "SIGCONT");
    if (this.frozen.length > 0) debug("%s resumed", this.name);
    this.frozen = [];
  }

  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    // A frozen process would hold the signal until SIGCONT, and the stop would wait for the SIGKILL.
    this.resume();
    child.kill(signal);
    const forced = setTimeout(() => child.kill("SIGKILL"), 3000);
    await this.exited;
    clearTimeout(forced);
    debug("%s stopped", this.name);
  }
}

/** Sends a signal to a pid that may already be gone. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // It exited meanwhile (a backend whose client left).
  }
}
