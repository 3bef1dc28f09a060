import type { ServiceKind } from "../challenges/define-challenge.ts";
import type { EnvironmentOptions } from "../options.ts";
import { probeContainerRuntime } from "../services/docker/container-runtime.ts";
import { requirePostgres } from "../services/local/local-postgres.ts";
import { redisServerVersion, requireRedisServer } from "../services/local/local-redis.ts";
import { decideAuto } from "../services/select-provider.ts";

/** One line of `npm run doctor`. */
export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  /** What to do when it is not ok. */
  fix?: string;
}

export interface Diagnosis {
  checks: DoctorCheck[];
  /** What `--services auto` would use, and why. */
  auto: { choice: string; reason: string };
  /** Whether a grade can run at all on this machine. */
  canGrade: boolean;
}

function nodeCheck(): DoctorCheck {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const ok = major > 20 || (major === 20 && minor >= 19);
  return { name: "Node.js", ok, detail: process.versions.node, fix: ok ? undefined : "Install Node.js 20.19 or newer (https://nodejs.org or your version manager)." };
}

function tryCheck(name: string, run: () => string, fix: string): DoctorCheck {
  try {
    return { name, ok: true, detail: run() };
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message, fix };
  }
}

/** How each provider would give a challenge its Postgres primary with a streaming replica (`replicated-postgres`). */
function replicaCheck(options: EnvironmentOptions): DoctorCheck {
  let local: string;
  try {
    local = `local: ${requirePostgres().postgres} as primary and hot standby`;
  } catch {
    local = "local: no Postgres binaries";
  }
  const docker = `docker: ${options.images.postgres} twice, the replica cloned with pg_basebackup`;
  const url = `url: ${options.databaseReplicaUrl ? "DATABASE_REPLICA_URL set" : "DATABASE_REPLICA_URL unset"}`;
  return { name: "Postgres primary + replica", ok: true, detail: [local, docker, url].join("; ") };
}

/** Looks at the machine the way a grade would, without starting anything. */
export async function diagnose(options: EnvironmentOptions, kinds: readonly ServiceKind[]): Promise<Diagnosis> {
  const runtime = await probeContainerRuntime();
  const checks: DoctorCheck[] = [
    nodeCheck(),
    runtime.ok
      ? { name: "Container runtime", ok: true, detail: `answers (API ${runtime.version}); images ${options.images.redis}, ${options.images.postgres}` }
      : { name: "Container runtime", ok: false, detail: runtime.reason.split("\n")[0]!, fix: "Start Docker Desktop or the docker service to grade in containers (--services docker)." },
    tryCheck("redis-server", () => {
      const binary = requireRedisServer();
      return `${binary} (${redisServerVersion(binary)})`;
    }, "Install it for --services local: sudo apt-get install redis-server, or brew install redis."),
    tryCheck("postgres", () => {
      const binaries = requirePostgres();
      return `${binaries.postgres} (${binaries.version})`;
    }, "Install it for --services local: sudo apt-get install postgresql, or brew install postgresql@16."),
    {
      name: "REDIS_URL / DATABASE_URL",
      ok: true,
      detail: [options.redisUrl ? "REDIS_URL set" : "REDIS_URL unset", options.databaseUrl ? "DATABASE_URL set" : "DATABASE_URL unset"].join(", "),
    },
    replicaCheck(options),
  ];
  const auto = await decideAuto(kinds, options);
  return { checks, auto, canGrade: auto.choice !== "none" && checks[0]!.ok };
}
