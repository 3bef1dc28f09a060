import path from "node:path";
import { UsageError } from "./errors.ts";
import { defaultImages } from "./services/docker/default-images.ts";
import { didYouMean } from "./text/did-you-mean.ts";

export const providerNames = ["auto", "local", "url", "docker"] as const;
export type ProviderChoice = (typeof providerNames)[number];

/** Everything `npm run grade` was asked to do, resolved once at the edge. */
export interface GradeOptions {
  slug: string;
  /** Absolute path of the implementation under test. @default the challenge's stub entry */
  impl?: string;
  /** Grade the challenge's reference solution instead (for CI and challenge authors). @default false */
  reference: boolean;
  /** Where Redis/Postgres come from. @default "auto" */
  services: ProviderChoice;
  /** Write the JSON report here. */
  json?: string;
  /** Write JUnit XML here. */
  junit?: string;
  /** Write a self-contained HTML report here. */
  html?: string;
  /** Write GitHub Classroom's autograding result (runner-result JSON v1) here. */
  classroom?: string;
  /** Whose work is graded (a class or hiring round); recorded in every report. */
  submission?: string;
  /** Grade every challenge, one combined exit code. @default false */
  all: boolean;
  /** Keep services up and regrade on every save. @default false */
  watch: boolean;
  /** Grade only this stage, or these stages (comma-separated). */
  stage?: string;
  /** Show passing tests, captured output and debug detail. @default false */
  verbose: boolean;
  /** Colour and spinners on stdout. @default stdout is a TTY and NO_COLOR is unset */
  color: boolean;
  /** `REDIS_URL`, for `--services url` (and `auto`). */
  redisUrl?: string;
  /** `DATABASE_URL`, for `--services url` (and `auto`). */
  databaseUrl?: string;
  /** `DATABASE_REPLICA_URL`: a streaming replica of `DATABASE_URL`'s server, for challenges on a primary and replica with `--services url`. */
  databaseReplicaUrl?: string;
  /** Container images for `--services docker`. @default official redis:7.4 / postgres:16; KATAS_REDIS_IMAGE, KATAS_POSTGRES_IMAGE */
  images: { redis: string; postgres: string };
  /** Run the ungraded throughput comparison. @default true; KATAS_MEASURE_PERFORMANCE=0 turns it off */
  measurePerformance: boolean;
  /** Whole-run deadline; a learner's code that blocks the event loop is stopped here. @default 120000 */
  runTimeoutMs: number;
}

interface FlagSpec {
  takesValue: boolean;
  description: string;
}

/** Every flag `grade` accepts, with its help line. */
export const gradeFlags: Record<string, FlagSpec> = {
  "--impl": { takesValue: true, description: "grade another implementation of the same interface (a file path)" },
  "--reference": { takesValue: false, description: "grade the reference solution (CI, challenge authors)" },
  "--services": { takesValue: true, description: "where Redis/Postgres come from: auto | local | url | docker (default auto)" },
  "--json": { takesValue: true, description: "also write the report as JSON to this file" },
  "--stage": { takesValue: true, description: "grade only this stage (or stages: a,b)" },
  "--watch": { takesValue: false, description: "keep services up and regrade on every save" },
  "--all": { takesValue: false, description: "grade every challenge, one combined exit code" },
  "--junit": { takesValue: true, description: "also write JUnit XML to this file (for CI test reporters)" },
  "--html": { takesValue: true, description: "also write a self-contained HTML report to this file" },
  "--classroom": { takesValue: true, description: "also write GitHub Classroom's autograding result (JSON) to this file" },
  "--submission": { takesValue: true, description: "whose work this is (a name for class reports), recorded in every report" },
  "--verbose": { takesValue: false, description: "show passing tests and captured output" },
  "--no-color": { takesValue: false, description: "plain output" },
  "--help": { takesValue: false, description: "show this help" },
};

/** The parts of the options that come from the environment alone (doctor uses these too). */
export type EnvironmentOptions = Pick<GradeOptions, "redisUrl" | "databaseUrl" | "databaseReplicaUrl" | "images">;

export function environmentOptions(env: NodeJS.ProcessEnv): EnvironmentOptions {
  return {
    redisUrl: env.REDIS_URL || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    databaseReplicaUrl: env.DATABASE_REPLICA_URL || undefined,
    images: { redis: env.KATAS_REDIS_IMAGE || defaultImages.redis, postgres: env.KATAS_POSTGRES_IMAGE || defaultImages.postgres },
  };
}

export type ParsedGradeArgs = { kind: "help" } | { kind: "grade"; options: GradeOptions };

/** Parses `grade` argv (after the command word) and the environment into options. */
export function parseGradeArgs(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string, isTTY: boolean): ParsedGradeArgs {
  const values = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") continue; // npm-style separator, when the CLI is run directly
    if (!arg.startsWith("-")) {
      positionals.push(arg);
      continue;
    }
    const [name, inlineValue] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const spec = gradeFlags[name!];
    if (!spec) {
      const suggestion = didYouMean(name!.replace(/^-+/, ""), Object.keys(gradeFlags).map((f) => f.slice(2)))[0];
      throw new UsageError(
        `Unknown flag ${name}.${suggestion ? ` Did you mean --${suggestion}?` : ""}`,
        "Run `npm run grade -- --help` for the flags.",
      );
    }
    if (spec.takesValue) {
      const value = inlineValue ?? argv[++i];
      if (value === undefined || value === "" || (inlineValue === undefined && value.startsWith("--"))) {
        throw new UsageError(`${name} needs a value.`, `Example: ${name} ${exampleValue(name!)}`);
      }
      values.set(name!, value);
    } else {
      values.set(name!, true);
    }
  }
  if (values.has("--help")) return { kind: "help" };
  const all = values.has("--all");
  if (all && positionals.length > 0) throw new UsageError("--all grades every challenge; leave out the challenge name.", "Example: npm run grade -- --all");
  if (values.has("--reference") && values.has("--impl")) throw new UsageError("Use --impl or --reference, not both.", "--reference grades solutions/<challenge>/index.ts");
  if (all && values.has("--impl")) throw new UsageError("--impl names one file, so it needs one challenge; --all --reference grades every reference.", "Example: npm run grade -- --all --reference");
  if (all && values.has("--watch")) throw new UsageError("--watch works on one challenge at a time.", "Example: npm run grade rate-limiter -- --watch");
  if (all && values.has("--stage")) throw new UsageError("--stage needs one challenge, not --all.", "Example: npm run grade rate-limiter -- --stage basics");
  if (!all && positionals.length === 0) throw new UsageError("Which challenge? Usage: npm run grade <challenge> [-- flags]", "Example: npm run grade rate-limiter");
  if (positionals.length > 1) {
    throw new UsageError(`Expected one challenge, got ${positionals.join(", ")}.`, "Put flags after `--`: npm run grade rate-limiter -- --stage basics");
  }
  const services = (values.get("--services") as string | undefined) ?? env.KATAS_SERVICES ?? "auto";
  if (!(providerNames as readonly string[]).includes(services)) {
    const suggestion = didYouMean(services, providerNames)[0];
    throw new UsageError(
      `Unknown --services "${services}".${suggestion ? ` Did you mean "${suggestion}"?` : ""}`,
      `Choose one of: ${providerNames.join(", ")}.`,
    );
  }
  const impl = values.get("--impl") as string | undefined;
  const json = values.get("--json") as string | undefined;
  const junit = values.get("--junit") as string | undefined;
  const html = values.get("--html") as string | undefined;
  const classroom = values.get("--classroom") as string | undefined;
  if (values.has("--watch") && (html || classroom)) throw new UsageError("--html and --classroom write one report per grade; leave out --watch.", "Example: npm run grade rate-limiter -- --html report.html");
  const runTimeoutMs = Number(env.KATAS_RUN_TIMEOUT_MS ?? 120_000);
  return {
    kind: "grade",
    options: {
      slug: positionals[0] ?? "",
      all,
      reference: values.has("--reference"),
      watch: values.has("--watch"),
      junit: junit === undefined ? undefined : path.resolve(cwd, junit),
      html: html === undefined ? undefined : path.resolve(cwd, html),
      classroom: classroom === undefined ? undefined : path.resolve(cwd, classroom),
      submission: values.get("--submission") as string | undefined,
      impl: impl === undefined ? undefined : path.resolve(cwd, impl),
      services: services as ProviderChoice,
      json: json === undefined ? undefined : path.resolve(cwd, json),
      stage: values.get("--stage") as string | undefined,
      verbose: values.has("--verbose"),
      color: isTTY && !values.has("--no-color") && env.NO_COLOR === undefined && env.TERM !== "dumb",
      ...environmentOptions(env),
      measurePerformance: env.KATAS_MEASURE_PERFORMANCE !== "0",
      runTimeoutMs: Number.isFinite(runTimeoutMs) && runTimeoutMs > 0 ? runTimeoutMs : 120_000,
    },
  };
}

function exampleValue(flag: string): string {
  switch (flag) {
    case "--impl":
      return "solutions/rate-limiter/index.ts";
    case "--services":
      return "local";
    case "--json":
      return "report.json";
    case "--html":
      return "report.html";
    case "--classroom":
      return "classroom.json";
    case "--submission":
      return "alice";
    default:
      return "basics";
  }
}

/** What `npm run report -- merge` was asked to do. */
export interface MergeOptions {
  /** `--json` reports, or folders holding them (searched recursively). */
  inputs: string[];
  /** The class HTML table. @default class-report.html */
  html: string;
  /** The class CSV. @default class-report.csv */
  csv: string;
}

export const reportUsage = "Usage: npm run report -- merge <report.json | folder>... [--html class-report.html] [--csv class-report.csv]";

/** Parses `report` argv (after the command word): `merge <inputs...> [--html f] [--csv f]`. */
export function parseReportArgs(argv: readonly string[], cwd: string): MergeOptions {
  const args = argv.filter((arg) => arg !== "--");
  if (args[0] !== "merge") throw new UsageError(`Unknown report action "${args[0] ?? ""}".`, reportUsage);
  const options: MergeOptions = { inputs: [], html: path.resolve(cwd, "class-report.html"), csv: path.resolve(cwd, "class-report.csv") };
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--html" || arg === "--csv") {
      const value = args[++i];
      if (!value || value.startsWith("--")) throw new UsageError(`${arg} needs a file.`, reportUsage);
      options[arg === "--html" ? "html" : "csv"] = path.resolve(cwd, value);
    } else if (arg.startsWith("-")) {
      throw new UsageError(`Unknown flag ${arg} for report merge.`, reportUsage);
    } else {
      options.inputs.push(path.resolve(cwd, arg));
    }
  }
  if (options.inputs.length === 0) throw new UsageError("report merge needs the JSON reports to merge (files or folders).", reportUsage);
  return options;
}

export const workflowUsage = "Usage: npm run workflow:local -- <workflow.yml> [--input name=value]... [--repo owner/name=folder]... [--services url|local|docker] [--work-dir folder]";

/** Parses `workflow-local` argv into the local runner's options. */
export function parseWorkflowArgs(argv: readonly string[], cwd: string): { file: string; inputs: Record<string, string>; repos: Map<string, string>; services: "url" | "local" | "docker"; workDir?: string } {
  const args = argv.filter((arg) => arg !== "--");
  const parsed = { file: "", inputs: {} as Record<string, string>, repos: new Map<string, string>(), services: "url" as "url" | "local" | "docker", workDir: undefined as string | undefined };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("-")) {
      if (parsed.file) throw new UsageError(`Expected one workflow file, got ${parsed.file} and ${arg}.`, workflowUsage);
      parsed.file = path.resolve(cwd, arg);
      continue;
    }
    const value = args[++i];
    if (value === undefined) throw new UsageError(`${arg} needs a value.`, workflowUsage);
    const pair = () => {
      const at = value.indexOf("=");
      if (at <= 0) throw new UsageError(`${arg} takes name=value, got ${value}.`, workflowUsage);
      return [value.slice(0, at), value.slice(at + 1)] as const;
    };
    if (arg === "--input") {
      const [name, text] = pair();
      parsed.inputs[name] = text;
    } else if (arg === "--repo") {
      const [name, folder] = pair();
      parsed.repos.set(name, path.resolve(cwd, folder));
    } else if (arg === "--services") {
      if (value !== "url" && value !== "local" && value !== "docker") throw new UsageError(`--services takes url, local or docker, not ${value}.`, workflowUsage);
      parsed.services = value;
    } else if (arg === "--work-dir") {
      parsed.workDir = path.resolve(cwd, value);
    } else {
      throw new UsageError(`Unknown flag ${arg} for workflow:local.`, workflowUsage);
    }
  }
  if (!parsed.file) throw new UsageError("Which workflow? Name its file.", workflowUsage);
  return parsed;
}
