import { randomBytes } from "node:crypto";
import os from "node:os";
import createDebug from "debug";
import { GenericContainer, Wait, type ContainerRuntimeClient, type StartedTestContainer } from "testcontainers";
import type { ServiceKind } from "../../challenges/define-challenge.ts";
import { ServiceUnavailableError, UserError } from "../../errors.ts";
import { freePort } from "../local/free-port.ts";
import { isProcessAlive } from "../process-alive.ts";
import { postgresAdmin, postgresServerVersion, type PostgresConnection } from "../postgres-admin.ts";
import { redisRawCommand } from "../redis-ping.ts";
import type { Teardown } from "../teardown.ts";
import { waitForReplay } from "../replication-admin.ts";
import type { PostgresTarget, RedisTarget, ReplicatedPostgresTarget, ServerControl, ServiceProvider, ServiceTarget } from "../types.ts";
import { waitFor } from "../wait-for.ts";
import { requireContainerRuntime } from "./container-runtime.ts";

const debug = createDebug("katas:docker");

const imageVariable = { redis: "KATAS_REDIS_IMAGE", postgres: "KATAS_POSTGRES_IMAGE" } as const;
const postgresUser = "katas";
const postgresPassword = "katas";
const redisDatabases = 64;
const ownerLabels = { pid: "dev.backend-katas.owner-pid", host: "dev.backend-katas.owner-host", run: "dev.backend-katas.run" };

export interface DockerImages {
  redis: string;
  postgres: string;
}

/** A Postgres container's part in a primary/replica pair. */
type PairRole = { role: "primary" } | { role: "standby"; primaryId: string; primaryHost: string };

const testTuning = ["-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "synchronous_commit=on", "-c", "wal_writer_delay=10ms", "-c", "wal_init_zero=off"];

/** The primary lets the replica in for replication (neither image's default pg_hba.conf does over the network). */
const primaryHba = ["local all all trust", "host all all all scram-sha-256", "host replication all all scram-sha-256", ""].join("\n");

/**
 * The replica's entrypoint, for the official image and the offline one alike: on first
 * start clone the primary with pg_basebackup (retrying until it answers), then run as a
 * hot standby; a restart keeps its data and streams on from where it stopped.
 */
const standbyScript = `set -eu
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGDATA=/var/lib/postgresql/data
if command -v setpriv >/dev/null 2>&1; then AS="setpriv --reuid=postgres --regid=postgres --init-groups"; else AS="gosu postgres"; fi
mkdir -p "$PGDATA" /var/run/postgresql
chown postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until $AS env PGPASSWORD="$KATAS_PASSWORD" "$BIN/pg_basebackup" -h "$KATAS_PRIMARY_HOST" -U "$KATAS_USER" -D "$PGDATA" -X stream -c fast --no-sync >/dev/null 2>&1; do
    find "$PGDATA" -mindepth 1 -delete
    sleep 0.2
  done
  $AS touch "$PGDATA/standby.signal"
fi
exec $AS "$BIN/postgres" -D "$PGDATA" -c listen_addresses='*' "$@"`;

function pairContainer(container: GenericContainer, pairRole: PairRole): GenericContainer {
  if (pairRole.role === "primary") {
    return container
      .withEnvironment({ POSTGRES_USER: postgresUser, POSTGRES_PASSWORD: postgresPassword, POSTGRES_DB: "postgres" })
      .withCopyContentToContainer([{ content: primaryHba, target: "/tmp/katas-pg_hba.conf", mode: 0o644 }])
      .withCommand(["postgres", ...testTuning, "-c", "hba_file=/tmp/katas-pg_hba.conf", "-c", "wal_keep_size=256MB"])
      .withWaitStrategy(Wait.forSuccessfulCommand(`pg_isready -h 127.0.0.1 -U ${postgresUser}`));
  }
  const conninfo = `host=${pairRole.primaryHost} port=5432 user=${postgresUser} password=${postgresPassword} application_name=katas_replica`;
  return container
    .withEnvironment({ KATAS_PRIMARY_HOST: pairRole.primaryHost, KATAS_USER: postgresUser, KATAS_PASSWORD: postgresPassword })
    .withEntrypoint(["sh", "-c", standbyScript, "katas-standby"])
    .withCommand([...testTuning, "-c", `primary_conninfo=${conninfo}`, "-c", "hot_standby=on", "-c", "max_standby_streaming_delay=2s", "-c", "wal_retrieve_retry_interval=50ms"])
    .withWaitStrategy(Wait.forListeningPorts());
}

/** A container that fault injection can stop, start, pause and resume; its host port survives restarts. */
class ContainerServer implements ServerControl {
  private paused = false;

  constructor(
    readonly kind: ServiceKind,
    readonly container: StartedTestContainer,
    readonly port: number,
    private readonly client: ContainerRuntimeClient,
    private readonly ready: () => Promise<unknown>,
  ) {}

  async stop(): Promise<void> {
    const container = this.client.container.getById(this.container.getId());
    await this.resume(); // a frozen container cannot take the signal
    if (this.kind === "postgres") {
      // docker stop sends SIGTERM, Postgres' "smart" shutdown, which waits for every client to leave.
      // SIGINT is its fast shutdown: clients are cut off and committed work is flushed.
      await container.kill({ signal: "SIGINT" });
      await waitFor(async () => !(await container.inspect()).State.Running, { timeoutMs: 10_000, intervalMs: 50, what: "postgres container shutdown" });
      return;
    }
    await this.client.container.stop(container, { timeout: 2 });
  }

  async start(): Promise<void> {
    await this.client.container.start(this.client.container.getById(this.container.getId()));
    await this.ready();
  }

  /** `docker pause`: the cgroup freezer stops every process; the published port still accepts connections. */
  async pause(): Promise<void> {
    if (this.paused) return;
    await this.client.container.getById(this.container.getId()).pause();
    this.paused = true;
  }

  async resume(): Promise<void> {
    if (!this.paused) return;
    await this.client.container.getById(this.container.getId()).unpause();
    this.paused = false;
  }
}

/**
 * Throwaway Redis and Postgres containers through testcontainers. Each started container
 * is registered for removal at once, and labelled with this process, so a grade that
 * was killed outright is cleaned up by the next one even without the Ryuk reaper.
 */
export class DockerProvider implements ServiceProvider {
  readonly name = "docker" as const;
  readonly parallelFiles = true;
  readonly faultsUnsupportedReason = undefined;
  private readonly runId = randomBytes(4).toString("hex");
  private readonly servers = new Map<string, ContainerServer>();
  private readonly shared = new Map<ServiceKind, ContainerServer>();
  /** Started by the first file that shares it: stages that pause replay or stop the replica get pairs of their own. */
  private sharedPair: Promise<{ primary: ContainerServer; replica: ContainerServer }> | undefined;
  private readonly serverVersions: Partial<Record<ServiceKind, string>> = {};
  private nextRedisDb = 0;
  private nextDatabase = 0;
  private count = 0;
  private client: ContainerRuntimeClient | undefined;
  /** Containers being started; teardown waits for them so none is created after the final sweep. */
  private readonly starting = new Set<Promise<unknown>>();

  constructor(
    private readonly teardown: Teardown,
    readonly images: DockerImages,
    private readonly progress: (message: string) => void = () => {},
  ) {}

  async start(kinds: readonly ServiceKind[]): Promise<void> {
    const client = await requireContainerRuntime();
    this.client = client;
    // Anything of this run still around at the end (even a container that was mid-start on Ctrl-C) goes.
    this.teardown.add("containers of this run", async () => {
      await Promise.race([Promise.allSettled([...this.starting]), new Promise((resolve) => setTimeout(resolve, 8000).unref())]);
      await this.removeContainers((labels) => labels[ownerLabels.run] === this.runId);
    });
    await this.removeContainers((labels) => labels[ownerLabels.host] === os.hostname() && !isProcessAlive(Number(labels[ownerLabels.pid])));
    const single = kinds.filter((kind): kind is "redis" | "postgres" => kind !== "replicated-postgres");
    await Promise.all(single.map(async (kind) => this.shared.set(kind, await this.startServer(kind))));
  }

  private async removeContainers(match: (labels: Record<string, string>) => boolean): Promise<void> {
    if (!this.client) return;
    const all = await this.client.container.list();
    const ours = all.filter((info) => info.Labels?.[ownerLabels.run] && match(info.Labels));
    await Promise.all(ours.map((info) => this.client!.container.getById(info.Id).remove({ force: true, v: true }).catch(() => {})));
    if (ours.length > 0) debug("removed %d containers", ours.length);
  }

  private async startServer(kind: "redis" | "postgres", pairRole?: PairRole): Promise<ContainerServer> {
    const client = this.client!;
    const image = this.images[kind];
    const id = pairRole?.role === "standby" ? `${pairRole.primaryId}-replica` : `${kind}-${++this.count}`;
    const started = performance.now();
    const containerPort = kind === "redis" ? 6379 : 5432;
    const hostPort = await freePort();
    let container = new GenericContainer(image)
      .withExposedPorts({ container: containerPort, host: hostPort })
      .withLabels({ [ownerLabels.pid]: String(process.pid), [ownerLabels.host]: os.hostname(), [ownerLabels.run]: this.runId })
      .withStartupTimeout(60_000);
    if (kind === "redis") {
      container = container
        .withCommand(["redis-server", "--save", "", "--appendonly", "no", "--databases", String(redisDatabases), "--protected-mode", "no"])
        .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/));
    } else if (pairRole) {
      container = pairContainer(container, pairRole);
    } else {
      container = container
        .withEnvironment({ POSTGRES_USER: postgresUser, POSTGRES_PASSWORD: postgresPassword, POSTGRES_DB: "postgres" })
        .withCommand(["postgres", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300"])
        .withWaitStrategy(Wait.forSuccessfulCommand(`pg_isready -h 127.0.0.1 -U ${postgresUser}`));
    }
    let startedContainer: StartedTestContainer;
    const starting = container.start();
    this.starting.add(starting);
    try {
      startedContainer = await starting;
    } catch (error) {
      throw this.translateStartError(kind, image, error);
    } finally {
      this.starting.delete(starting);
    }
    const host = startedContainer.getHost();
    const ready = kind === "redis" ? () => this.redisReady(host, hostPort) : () => this.postgresReady(host, hostPort);
    const server = new ContainerServer(kind, startedContainer, hostPort, client, ready);
    this.teardown.add(`${id} container`, () => client.container.getById(startedContainer.getId()).remove({ force: true, v: true }).catch(() => {}));
    this.servers.set(id, server);
    await ready();
    if (kind === "redis") {
      const info = await redisRawCommand(host, hostPort, ["INFO", "server"]);
      this.serverVersions.redis ??= /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
    } else if (pairRole) {
      this.serverVersions["replicated-postgres"] ??= await postgresServerVersion(this.adminConnection(host, hostPort));
    } else {
      this.serverVersions.postgres ??= await postgresServerVersion(this.adminConnection(host, hostPort));
    }
    this.progress(`${pairRole?.role === "standby" ? "replica" : kind} container (${image}) started in ${Math.round(performance.now() - started)} ms`);
    return server;
  }

  private translateStartError(kind: "redis" | "postgres", image: string, error: unknown): Error {
    const message = (error as Error)?.message ?? String(error);
    if (/ryuk/i.test(message)) {
      return new UserError("IMAGE_UNAVAILABLE", `testcontainers could not start its Ryuk reaper: ${message.split("\n")[0]}`, {
        hint: "Set TESTCONTAINERS_RYUK_DISABLED=true: the grader removes its own containers, also after Ctrl-C.",
        cause: error,
      });
    }
    if (/pull|manifest|not found|no such image|repository does not exist|registry|no such host|dial tcp|getaddrinfo|ENOTFOUND|EAI_AGAIN/i.test(message)) {
      return new UserError("IMAGE_UNAVAILABLE", `Could not get the ${kind} image "${image}": ${message.split("\n")[0]}`, {
        hint: `Set ${imageVariable[kind]} to an image this machine has or can pull. Offline, docker/build-offline-images.sh builds one from Debian packages.`,
        cause: error,
      });
    }
    return new ServiceUnavailableError(`The ${kind} container (${image}) did not start: ${message.split("\n")[0]}`, {
      hint: "Check `docker ps -a` and the container's logs, or grade with --services local.",
      cause: error,
    });
  }

  private adminConnection(host: string, port: number): PostgresConnection {
    return { host, port, user: postgresUser, password: postgresPassword, database: "postgres" };
  }

  private redisReady(host: string, port: number): Promise<boolean> {
    return waitFor(async () => (await redisRawCommand(host, port, ["PING"], 300)).startsWith("+PONG"), { timeoutMs: 20_000, intervalMs: 25, what: "redis container" });
  }

  private postgresReady(host: string, port: number): Promise<boolean> {
    return waitFor(
      async () => {
        await postgresAdmin(this.adminConnection(host, port), "SELECT 1");
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 50, what: "postgres container" },
    );
  }

  private idOf(server: ContainerServer): string {
    for (const [id, candidate] of this.servers) if (candidate === server) return id;
    throw new Error("unknown container");
  }

  async allocate(kind: ServiceKind, options: { exclusive: boolean }): Promise<ServiceTarget> {
    if (kind === "replicated-postgres") return this.allocatePair(options);
    const server = options.exclusive ? await this.startServer(kind) : this.shared.get(kind);
    if (!server) throw new Error(`${kind} was not started`);
    const host = server.container.getHost();
    if (kind === "redis") {
      const db = options.exclusive ? 0 : this.nextRedisDb++;
      if (db >= redisDatabases) throw new Error(`more than ${redisDatabases} hidden files need Redis`);
      const target: RedisTarget = { kind, host, port: server.port, db, serverId: this.idOf(server), exclusive: options.exclusive };
      return target;
    }
    const database = `katas_${++this.nextDatabase}`;
    await postgresAdmin(this.adminConnection(host, server.port), `CREATE DATABASE ${database}`);
    const target: PostgresTarget = { kind, host, port: server.port, user: postgresUser, password: postgresPassword, database, serverId: this.idOf(server), exclusive: options.exclusive };
    return target;
  }

  /** A primary, then a replica container that clones it with pg_basebackup and streams from it over the default bridge network. */
  private async startPair(): Promise<{ primary: ContainerServer; replica: ContainerServer }> {
    const primary = await this.startServer("postgres", { role: "primary" });
    const primaryHost = primary.container.getIpAddress("bridge");
    const replica = await this.startServer("postgres", { role: "standby", primaryId: this.idOf(primary), primaryHost });
    return { primary, replica };
  }

  private async allocatePair(options: { exclusive: boolean }): Promise<ReplicatedPostgresTarget> {
    const pair = options.exclusive ? await this.startPair() : await (this.sharedPair ??= this.startPair());
    // A pair of its own serves one hidden file: its postgres database saves creating one and replaying that.
    const database = options.exclusive ? "postgres" : `katas_${++this.nextDatabase}`;
    const on = (server: ContainerServer): PostgresConnection => ({ ...this.adminConnection(server.container.getHost(), server.port), database });
    if (!options.exclusive) {
      await postgresAdmin({ ...on(pair.primary), database: "postgres" }, `CREATE DATABASE ${database}`);
      await waitForReplay({ ...on(pair.primary), database: "postgres" }, { ...on(pair.replica), database: "postgres" });
    }
    const target = (server: ContainerServer): PostgresTarget => ({ kind: "postgres", ...on(server), serverId: this.idOf(server), exclusive: options.exclusive });
    return { kind: "replicated-postgres", primary: target(pair.primary), replica: target(pair.replica), exclusive: options.exclusive };
  }

  control(serverId: string): ServerControl | undefined {
    return this.servers.get(serverId);
  }

  versions(): Partial<Record<ServiceKind, string>> {
    return { ...this.serverVersions };
  }
}
