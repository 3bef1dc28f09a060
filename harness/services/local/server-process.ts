import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import createDebug from "debug";

const debug = createDebug("katas:local");

/** A server we spawned: stop it (gracefully, then by force) and start it again with the same arguments. */
export class ServerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private output = "";

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

  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill(signal);
    const forced = setTimeout(() => child.kill("SIGKILL"), 3000);
    await this.exited;
    clearTimeout(forced);
    debug("%s stopped", this.name);
  }
}
