import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { UserError } from "../errors.ts";
import { repoRoot } from "../paths.ts";

/** What a stand-in for a `uses:` action gets. */
export interface ActionCall {
  workspace: string;
  with: Record<string, string>;
  env: Record<string, string>;
  /** Where uploaded artifacts are kept for the run, one folder per artifact. */
  artifacts: string;
  /** Local folders standing in for `owner/name` repositories. */
  repos: ReadonlyMap<string, string>;
  log(line: string): void;
}

/** Throws to fail the step, like an action's `core.setFailed`. */
export type LocalAction = (call: ActionCall) => void;

/** A step failed the way the real action would have failed it. */
export class StepFailedError extends UserError {
  constructor(message: string) {
    super("STEP_FAILED", message);
  }
}

/** The grader's own files, as a fresh clone would have them (tracked and new, never ignored ones). */
function copyWorkingTree(destination: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).split("\0").filter(Boolean);
  for (const file of files) {
    const from = path.join(repoRoot, file);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(destination, file)), { recursive: true });
    cpSync(from, path.join(destination, file));
  }
}

const checkout: LocalAction = (call) => {
  const destination = path.resolve(call.workspace, call.with.path || ".");
  const repository = call.with.repository;
  if (!repository) {
    copyWorkingTree(destination);
    call.log(`checked out this repository's working tree into ${path.relative(call.workspace, destination) || "."}`);
    return;
  }
  const local = call.repos.get(repository);
  if (!local) throw new StepFailedError(`actions/checkout: no local folder for ${repository}; pass --repo ${repository}=<folder>`);
  execFileSync("git", ["clone", "--quiet", ...(call.with.ref ? ["--branch", call.with.ref] : []), local, destination], { stdio: ["ignore", "ignore", "pipe"] });
  call.log(`checked out ${repository}${call.with.ref ? `@${call.with.ref}` : ""} (from ${local}) into ${call.with.path || "."}`);
};

const setupNode: LocalAction = (call) => {
  const wanted = String(call.with["node-version"] ?? "").split(".")[0];
  const have = process.versions.node.split(".")[0];
  call.log(`node ${process.versions.node}${wanted && wanted !== have ? ` (the workflow asks for ${wanted}; runs with this one)` : ""}`);
};

const uploadArtifact: LocalAction = (call) => {
  const name = call.with.name || "artifact";
  const target = path.join(call.artifacts, name);
  if (existsSync(target)) throw new StepFailedError(`actions/upload-artifact: an artifact named ${name} already exists in this run`);
  const sources = (call.with.path ?? "").split("\n").map((line) => line.trim()).filter(Boolean);
  let copied = 0;
  for (const source of sources) {
    const from = path.resolve(call.workspace, source);
    if (!existsSync(from)) continue;
    const into = statSync(from).isDirectory() ? target : path.join(target, path.basename(from));
    cpSync(from, into, { recursive: true });
    copied++;
  }
  if (copied === 0) throw new StepFailedError(`actions/upload-artifact: no files found at ${sources.join(", ")}`);
  call.log(`uploaded artifact ${name}: ${readdirSync(target).join(", ")}`);
};

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
}

const downloadArtifact: LocalAction = (call) => {
  const into = path.resolve(call.workspace, call.with.path || ".");
  const available = existsSync(call.artifacts) ? readdirSync(call.artifacts).sort() : [];
  const names = call.with.name ? [call.with.name] : available.filter((name) => globToRegExp(call.with.pattern || "*").test(name));
  for (const name of names) {
    if (!available.includes(name)) throw new StepFailedError(`actions/download-artifact: no artifact named ${name}`);
    // One named artifact lands in `path` itself; several land in a folder each (merge-multiple: false).
    const target = call.with.name || call.with["merge-multiple"] === "true" ? into : path.join(into, name);
    cpSync(path.join(call.artifacts, name), target, { recursive: true });
  }
  call.log(`downloaded ${names.length} artifact${names.length === 1 ? "" : "s"} into ${call.with.path || "."}`);
};

/**
 * Does what GitHub Classroom's reporter does with its input: decodes each runner's
 * base64 `<RUNNER>_RESULTS`, prints the tests and points, and fails when a runner failed.
 */
const classroomReporter: LocalAction = (call) => {
  const runners = (call.with.runners ?? "").split(",").map((runner) => runner.trim()).filter(Boolean);
  if (runners.length === 0) throw new StepFailedError("autograding-grading-reporter: the runners input is empty");
  let total = 0;
  let max = 0;
  let failed = false;
  for (const runner of runners) {
    const encoded = call.env[`${runner.toUpperCase()}_RESULTS`];
    if (!encoded) throw new StepFailedError(`autograding-grading-reporter: ${runner.toUpperCase()}_RESULTS is not set`);
    let results: { status?: string; max_score?: number; tests?: { name: string; status: string; score?: number }[] };
    try {
      results = JSON.parse(Buffer.from(encoded, "base64").toString("utf8"));
    } catch {
      throw new StepFailedError(`autograding-grading-reporter: ${runner.toUpperCase()}_RESULTS is not base64-encoded JSON`);
    }
    if (!Array.isArray(results.tests) || typeof results.max_score !== "number") throw new StepFailedError(`autograding-grading-reporter: ${runner} has no tests or max_score`);
    for (const test of results.tests) call.log(`${test.status === "pass" ? "✅" : "❌"} ${test.name}`);
    total += results.tests.reduce((sum, test) => sum + (test.score ?? 0), 0);
    max += results.max_score;
    failed ||= results.status !== "pass";
  }
  call.log(`Total points: ${total}/${max}`);
  if (failed) throw new StepFailedError("Some tests failed.");
};

/** Stand-ins for the actions the shipped workflows use, keyed by `owner/name` (no version). */
export const localActions: Record<string, LocalAction> = {
  "actions/checkout": checkout,
  "actions/setup-node": setupNode,
  "actions/upload-artifact": uploadArtifact,
  "actions/download-artifact": downloadArtifact,
  "classroom-resources/autograding-grading-reporter": classroomReporter,
};
