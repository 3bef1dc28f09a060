import { spawn, type ChildProcess } from "node:child_process";
import { onTestFinished } from "vitest";
import { repoRoot } from "../paths.ts";

/** A TypeScript script running in a child Node process, talking to the test over IPC. */
export interface ScriptProcess {
  readonly pid: number | undefined;
  /** Every IPC message received so far, in order. */
  readonly messages: unknown[];
  /** The child's stderr so far (capped), for failure messages. */
  stderr(): string;
  /** Resolves with the first message (past or future) that `match` accepts; rejects, with stderr, if the child exits or `timeoutMs` passes. */
  waitForMessage<T = unknown>(match: (message: unknown) => boolean, what: string, timeoutMs: number): Promise<T>;
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void>;
  /** Resolves when the child has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const maxStderr = 4000;

/**
 * Runs `node --import tsx <script>` from the repository root with an IPC channel. The
 * child is SIGKILLed when the test ends, whatever happened.
 */
export function spawnScript(script: string, options: { env?: Record<string, string> } = {}): ScriptProcess {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  const messages: unknown[] = [];
  const listeners = new Set<() => void>();
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-maxStderr);
  });
  child.on("message", (message) => {
    messages.push(message);
    for (const listener of listeners) listener();
  });
  child.on("error", () => {});
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    child.once("exit", (code, signal) => {
      for (const listener of listeners) listener();
      resolve({ code, signal });
    });
  });
  let gone = false;
  void exited.then(() => (gone = true));
  const kill = async () => {
    if (!gone) child.kill("SIGKILL");
    await exited;
  };
  onTestFinished(kill);
  const describeExit = () => `${child.exitCode !== null ? `exit code ${child.exitCode}` : `signal ${child.signalCode}`}`;
  return {
    pid: child.pid,
    messages,
    stderr: () => stderr,
    exited,
    kill,
    waitForMessage<T>(match: (message: unknown) => boolean, what: string, timeoutMs: number): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (found !== undefined) return finish(() => resolve(found as T));
          if (gone || child.exitCode !== null || child.signalCode !== null) {
            finish(() => reject(new Error(`The child process ended (${describeExit()}) before ${what}.${stderr ? ` Its stderr:\n${stderr.trim()}` : ""}`)));
          }
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`No ${what} from the child process within ${timeoutMs} ms (messages so far: ${JSON.stringify(messages).slice(0, 300)}).${stderr ? ` Its stderr:\n${stderr.trim()}` : ""}`))),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
  };
}
