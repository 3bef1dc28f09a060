import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../paths.ts";

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The --json report, when one was asked for and written. */
  json?: JsonReport;
}

/** The parts of the JSON report the self-test reads. */
export interface JsonReport {
  status: string;
  score: number;
  message: string | null;
  tests: { id: string; verdict: string; message: string | null; hint: string | null; stage: string }[];
  run_errors: { message: string }[];
  error_code?: string;
}

/** Every CLI process this self-test started, so checks for leftovers count only its own. */
export const cliPids = new Set<number>();

/** Runs `npm run grade`'s entry point as a learner would, without npm's own output. */
export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; json?: boolean; onSpawn?: (pid: number) => void; /** Run under this command, e.g. unshare. */ wrap?: string[] } = {},
): Promise<CliRun> {
  const jsonFile = options.json ? path.join(mkdtempSync(path.join(os.tmpdir(), "katas-selftest-")), "report.json") : undefined;
  const fullArgs = ["--import", "tsx", path.join(repoRoot, "harness/cli.ts"), ...args, ...(jsonFile ? ["--json", jsonFile] : [])];
  return new Promise((resolve, reject) => {
    const [command, ...prefix] = [...(options.wrap ?? []), process.execPath];
    const child = spawn(command!, [...prefix, ...fullArgs], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: "1", KATAS_MEASURE_PERFORMANCE: "0", KATAS_SERVICES: "local", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (child.pid !== undefined) {
      cliPids.add(child.pid);
      options.onSpawn?.(child.pid);
    }
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      let json: JsonReport | undefined;
      try {
        if (jsonFile) json = JSON.parse(readFileSync(jsonFile, "utf8")) as JsonReport;
      } catch {
        // no report written
      }
      resolve({ code, signal, stdout, stderr, json });
    });
  });
}

/** Ids of the tests that did not pass, sorted. */
export function notPassed(json: JsonReport | undefined): string[] {
  return (json?.tests ?? []).filter((test) => test.verdict !== "passed").map((test) => test.id).sort();
}
