import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { UserError } from "../errors.ts";
import { findPostgresTool } from "../services/local/find-binary.ts";
import { LocalPostgres, localPostgresUser, requirePostgres } from "../services/local/local-postgres.ts";
import { LocalRedis, requireRedisServer } from "../services/local/local-redis.ts";
import { RunDir } from "../services/local/run-dir.ts";
import { Teardown } from "../services/teardown.ts";
import { asString, condition, interpolate, type ExpressionContext } from "./expression.ts";
import { localActions, StepFailedError } from "./local-actions.ts";

/** How to run a workflow file here. */
export interface LocalWorkflowOptions {
  file: string;
  /** `workflow_dispatch` inputs. */
  inputs: Record<string, string>;
  /** Local folders standing in for `owner/name` repositories (actions/checkout with `repository`). */
  repos: Map<string, string>;
  /**
   * Where grades get Redis and Postgres. url: servers this runner starts for each job
   * (like service containers). local/docker: the grader starts its own.
   * @default "url"
   */
  services: "url" | "local" | "docker";
  /** Folder for workspaces and artifacts. @default a new temp folder */
  workDir?: string;
}

interface StepSpec {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: string;
  "continue-on-error"?: boolean;
  "working-directory"?: string;
}

interface JobSpec {
  name?: string;
  needs?: string | string[];
  if?: string;
  env?: Record<string, unknown>;
  strategy?: { matrix?: Record<string, unknown> };
  steps: StepSpec[];
}

/** What happened to one job (one matrix combination). */
export interface LocalJobResult {
  job: string;
  name: string;
  matrix: Record<string, unknown>;
  conclusion: "success" | "failure" | "skipped";
  steps: { name: string; conclusion: "success" | "failure" | "skipped" }[];
  workspace: string;
}

/** Jobs in an order that respects `needs`, the file's order otherwise. */
export function jobOrder(jobs: Record<string, JobSpec>): string[] {
  const order: string[] = [];
  const visit = (id: string, trail: string[]) => {
    if (order.includes(id)) return;
    if (trail.includes(id)) throw new UserError("WORKFLOW", `Jobs need each other in a cycle: ${[...trail, id].join(" → ")}.`);
    if (!jobs[id]) throw new UserError("WORKFLOW", `Job ${trail.at(-1)} needs ${id}, which does not exist.`);
    for (const need of [jobs[id]!.needs ?? []].flat()) visit(need, [...trail, id]);
    order.push(id);
  };
  for (const id of Object.keys(jobs)) visit(id, []);
  return order;
}

/** Every combination of a job's matrix (include/exclude are not used by the shipped workflows). */
export function expandMatrix(matrix: Record<string, unknown> | undefined, ctx: ExpressionContext): Record<string, unknown>[] {
  if (!matrix) return [{}];
  let combos: Record<string, unknown>[] = [{}];
  for (const [key, raw] of Object.entries(matrix)) {
    if (key === "include" || key === "exclude") throw new UserError("WORKFLOW", `matrix.${key} is not supported by the local runner.`);
    const values = typeof raw === "string" ? interpolate(raw, ctx) : raw;
    if (!Array.isArray(values) || values.length === 0) throw new UserError("WORKFLOW", `matrix.${key} must be a non-empty list (got ${JSON.stringify(values)}).`);
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value })));
  }
  return combos;
}

function stringMap(values: Record<string, unknown> | undefined, ctx: ExpressionContext): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([key, value]) => [key, asString(typeof value === "string" ? interpolate(value, ctx) : value)]));
}

/** `name=value` lines and `name<<DELIM` blocks, as $GITHUB_OUTPUT and $GITHUB_ENV hold them. */
export function parseKeyValueFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const lines = readFileSync(file, "utf8").split("\n");
  const values: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      while (++i < lines.length && lines[i] !== heredoc[2]) body.push(lines[i]!);
      values[heredoc[1]!] = body.join("\n");
    } else if (line.includes("=")) {
      values[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    }
  }
  return values;
}

function runScript(script: string, cwd: string, env: Record<string, string>, scratch: string): Promise<number> {
  const file = path.join(scratch, `step-${Date.now()}-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(file, script);
  return new Promise((resolve, reject) => {
    // GitHub's `shell: bash`: bash --noprofile --norc -eo pipefail {0}
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", file], { cwd, env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
}

/** Redis and Postgres for one job, the way service containers would be: the grade reaches them with --services url. */
async function startJobServices(teardown: Teardown): Promise<Record<string, string>> {
  const runDir = new RunDir();
  teardown.add("local workflow run folder", () => runDir.remove());
  const redis = await LocalRedis.start(runDir, requireRedisServer(), "redis");
  teardown.add("redis-server for the job", () => redis.stop());
  if (!findPostgresTool("postgres")) throw new UserError("SERVICE_UNAVAILABLE", "postgres is not installed; --services url needs it for the local run.");
  const postgres = await LocalPostgres.start(runDir, requirePostgres(), "postgres");
  teardown.add("postgres for the job", () => postgres.stop());
  return { KATAS_SERVICES: "url", REDIS_URL: `redis://127.0.0.1:${redis.port}/0`, DATABASE_URL: `postgres://${localPostgresUser}@127.0.0.1:${postgres.port}/postgres` };
}

/**
 * Runs a workflow's jobs and steps in order on this machine: `run:` steps in bash with the
 * workflow's, job's and step's env, `${{ }}` expressions, $GITHUB_OUTPUT/$GITHUB_ENV/
 * $GITHUB_STEP_SUMMARY; `uses:` steps through local stand-ins (checkout copies this
 * repository or a --repo folder, artifacts are folders, the Classroom reporter decodes
 * and totals what it is given). An action without a stand-in fails the run.
 */
export async function runWorkflowLocally(options: LocalWorkflowOptions, log: (line: string) => void): Promise<LocalJobResult[]> {
  const workflow = parse(readFileSync(options.file, "utf8")) as { env?: Record<string, unknown>; jobs?: Record<string, JobSpec>; on?: { workflow_dispatch?: { inputs?: Record<string, { default?: string }> } } };
  if (!workflow?.jobs) throw new UserError("WORKFLOW", `${options.file} has no jobs.`);
  const declared = workflow.on?.workflow_dispatch?.inputs ?? {};
  const inputs = { ...Object.fromEntries(Object.entries(declared).map(([key, spec]) => [key, spec?.default ?? ""])), ...options.inputs };
  const workDir = options.workDir ?? mkdtempSync(path.join(os.tmpdir(), "katas-workflow-"));
  const artifacts = path.join(workDir, "artifacts");
  mkdirSync(artifacts, { recursive: true });
  const results: LocalJobResult[] = [];
  const conclusions = new Map<string, LocalJobResult["conclusion"][]>();
  for (const jobId of jobOrder(workflow.jobs)) {
    const job = workflow.jobs[jobId]!;
    const needs = [job.needs ?? []].flat();
    const needsOk = needs.every((need) => (conclusions.get(need) ?? []).every((conclusion) => conclusion === "success"));
    const base: ExpressionContext = { inputs, matrix: {}, steps: {}, env: {}, secrets: {}, github: { token: "", actor: "local", repository: "local/backend-katas", workspace: "" }, jobStatus: needsOk ? "success" : "failure" };
    for (const matrix of expandMatrix(job.strategy?.matrix, base)) {
      const workspace = path.join(workDir, `${jobId}-${results.length + 1}`);
      mkdirSync(workspace, { recursive: true });
      const ctx: ExpressionContext = { ...base, matrix, steps: {}, github: { ...base.github, workspace } };
      const name = asString(job.name ? interpolate(job.name, ctx) : jobId);
      const result: LocalJobResult = { job: jobId, name, matrix, conclusion: "success", steps: [], workspace };
      results.push(result);
      conclusions.set(jobId, [...(conclusions.get(jobId) ?? []), "success"]);
      const setConclusion = (conclusion: LocalJobResult["conclusion"]) => {
        result.conclusion = conclusion;
        const list = conclusions.get(jobId)!;
        list[list.length - 1] = conclusion;
      };
      if (!condition(job.if, ctx)) {
        log(`== job ${name}: skipped (if: ${job.if ?? "needs failed"})`);
        setConclusion("skipped");
        continue;
      }
      log(`== job ${name}`);
      const teardown = new Teardown();
      try {
        const usesGrade = job.steps.some((step) => /\bnpm run (--silent )?grade\b/.test(step.run ?? ""));
        const serviceEnv = options.services === "url" && usesGrade ? await startJobServices(teardown) : { KATAS_SERVICES: options.services };
        if (options.services === "url" && usesGrade) log(`   services: url, a local redis-server and postgres for this job (${serviceEnv.REDIS_URL}, ${serviceEnv.DATABASE_URL})`);
        const summary = path.join(workspace, ".github-step-summary.md");
        const scratch = mkdtempSync(path.join(os.tmpdir(), "katas-workflow-step-"));
        teardown.add("step scratch folder", () => rmSync(scratch, { recursive: true, force: true }));
        const githubEnv: Record<string, string> = {};
        ctx.env = { ...stringMap(workflow.env, ctx), ...stringMap(job.env, ctx) };
        for (const [index, step] of job.steps.entries()) {
          const stepName = step.name ?? step.uses ?? (step.run ?? "").split("\n")[0]!;
          const stepEnv = { ...ctx.env, ...githubEnv, ...stringMap(step.env, { ...ctx, env: { ...ctx.env, ...githubEnv } }), ...serviceEnv };
          const stepCtx = { ...ctx, env: stepEnv };
          if (!condition(step.if, stepCtx)) {
            log(`-- step ${index + 1}/${job.steps.length} ${stepName}: skipped`);
            result.steps.push({ name: stepName, conclusion: "skipped" });
            continue;
          }
          log(`-- step ${index + 1}/${job.steps.length} ${stepName}`);
          const outputFile = path.join(scratch, `output-${index}`);
          const envFile = path.join(scratch, `env-${index}`);
          writeFileSync(outputFile, "");
          writeFileSync(envFile, "");
          let ok = true;
          let outputs: Record<string, string> = {};
          if (step.run !== undefined) {
            const env = {
              ...(process.env as Record<string, string>),
              CI: "true",
              GITHUB_ACTIONS: "true",
              GITHUB_WORKSPACE: workspace,
              GITHUB_REPOSITORY: String(ctx.github.repository),
              GITHUB_OUTPUT: outputFile,
              GITHUB_ENV: envFile,
              GITHUB_STEP_SUMMARY: summary,
              RUNNER_TEMP: scratch,
              ...stepEnv,
            };
            const script = asString(interpolate(step.run, stepCtx));
            const code = await runScript(script, path.resolve(workspace, step["working-directory"] ?? "."), env, scratch);
            ok = code === 0;
            if (!ok) log(`   exit code ${code}`);
            outputs = parseKeyValueFile(outputFile);
            Object.assign(githubEnv, parseKeyValueFile(envFile));
          } else if (step.uses) {
            const action = localActions[step.uses.split("@")[0]!];
            if (!action) throw new UserError("WORKFLOW", `No local stand-in for ${step.uses}; the local runner knows ${Object.keys(localActions).join(", ")}.`);
            try {
              action({ workspace, with: stringMap(step.with, stepCtx), env: stepEnv, artifacts, repos: options.repos, log: (line) => log(`   ${line}`) });
            } catch (error) {
              if (!(error instanceof StepFailedError)) throw error;
              log(`   ${error.message}`);
              ok = false;
            }
          }
          const conclusion = ok || step["continue-on-error"] ? "success" : "failure";
          if (step.id) ctx.steps[step.id] = { outputs, outcome: ok ? "success" : "failure", conclusion };
          result.steps.push({ name: stepName, conclusion: ok ? "success" : "failure" });
          if (conclusion === "failure") {
            ctx.jobStatus = "failure";
            setConclusion("failure");
          }
        }
      } finally {
        await teardown.run();
      }
      log(`== job ${name}: ${result.conclusion}`);
    }
  }
  return results;
}
