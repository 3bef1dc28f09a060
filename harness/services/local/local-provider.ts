import type { ServiceKind } from "../../challenges/define-challenge.ts";
import { postgresAdmin } from "../postgres-admin.ts";
import type { Teardown } from "../teardown.ts";
import { waitForReplay } from "../replication-admin.ts";
import type { PostgresTarget, RedisTarget, ReplicatedPostgresTarget, ServerControl, ServiceProvider, ServiceTarget } from "../types.ts";
import { LocalPostgres, localPostgresUser, requirePostgres, type PostgresBinaries } from "./local-postgres.ts";
import { LocalRedis, localRedisDatabases, redisServerVersion, requireRedisServer } from "./local-redis.ts";
import { freePort, startOnFreePort } from "./free-port.ts";
import { RunDir } from "./run-dir.ts";

/** A primary and the replica that streams from it. */
interface LocalPostgresPair {
  primary: LocalPostgres;
  replica: LocalPostgres;
}

/** Spawns redis-server and postgres from the machine's own binaries. */
export class LocalProvider implements ServiceProvider {
  readonly name = "local" as const;
  readonly parallelFiles = true;
  readonly faultsUnsupportedReason = undefined;
  private runDir: RunDir | undefined;
  private readonly servers = new Map<string, ServerControl>();
  private sharedRedis: LocalRedis | undefined;
  private sharedPostgres: LocalPostgres | undefined;
  /** Started by the first file that shares it, not up front: stages that stop or pause replay get pairs of their own. */
  private sharedPair: Promise<LocalPostgresPair> | undefined;
  private nextRedisDb = 0;
  private nextDatabase = 0;
  private serverCount = 0;
  private readonly serverVersions: Partial<Record<ServiceKind, string>> = {};

  /** Servers being started: teardown waits for them, so one that finishes starting late is still stopped. */
  private readonly starting = new Set<Promise<unknown>>();

  constructor(private readonly teardown: Teardown) {
    // Registered first, so it runs last; the stop tasks the late starts add run after it.
    teardown.add("servers still starting", () => Promise.allSettled([...this.starting]).then(() => undefined));
  }

  private track<T>(start: Promise<T>): Promise<T> {
    this.starting.add(start);
    const settled = () => this.starting.delete(start);
    start.then(settled, settled);
    return start;
  }

  /** Whether this machine has the binaries for these services. */
  static isAvailable(kinds: readonly ServiceKind[]): boolean {
    try {
      LocalProvider.check(kinds);
      return true;
    } catch {
      return false;
    }
  }

  /** Fails fast, before anything starts, if a binary is missing. */
  static check(kinds: readonly ServiceKind[]): void {
    if (kinds.includes("redis")) requireRedisServer();
    if (kinds.includes("postgres") || kinds.includes("replicated-postgres")) requirePostgres();
  }

  private dir(): RunDir {
    if (!this.runDir) {
      const runDir = new RunDir();
      this.teardown.add("run folder", () => runDir.remove());
      this.runDir = runDir;
    }
    return this.runDir;
  }

  async start(kinds: readonly ServiceKind[]): Promise<void> {
    // allSettled: a failure must not hand control to teardown while the other server is still starting.
    const outcomes = await Promise.allSettled([
      kinds.includes("redis") ? this.startRedis().then((server) => (this.sharedRedis = server)) : undefined,
      kinds.includes("postgres") ? this.startPostgres().then((server) => (this.sharedPostgres = server)) : undefined,
    ]);
    for (const outcome of outcomes) if (outcome.status === "rejected") throw outcome.reason;
  }

  private async startRedis(): Promise<LocalRedis> {
    const binary = requireRedisServer();
    this.serverVersions.redis ??= redisServerVersion(binary);
    const id = `redis-${++this.serverCount}`;
    const server = await this.track(LocalRedis.start(this.dir(), binary, id));
    this.teardown.add(id, () => server.stop());
    this.servers.set(id, server);
    return server;
  }

  private async startPostgres(): Promise<LocalPostgres> {
    const binaries = requirePostgres();
    this.serverVersions.postgres ??= binaries.version;
    const id = `postgres-${++this.serverCount}`;
    const server = await this.track(LocalPostgres.start(this.dir(), binaries, id));
    this.teardown.add(id, () => server.stop());
    this.servers.set(id, server);
    return server;
  }

  private startPair(): Promise<LocalPostgresPair> {
    const binaries = requirePostgres();
    this.serverVersions["replicated-postgres"] ??= binaries.version;
    const id = `postgres-${++this.serverCount}`;
    // Either port may be taken between picking and binding; the standby is told its primary's port as it starts, so the pair starts again on new ones.
    return startOnFreePort((attempt) => this.startPairOnce(binaries, attempt === 1 ? id : `${id}-${attempt}`));
  }

  private async startPairOnce(binaries: PostgresBinaries, id: string): Promise<LocalPostgresPair> {
    const replicaId = `${id}-replica`;
    const primaryPort = await freePort();
    // Both copy the template and start at once; the replica streams as soon as its primary answers.
    const [primary, replica] = await Promise.allSettled([
      this.track(LocalPostgres.start(this.dir(), binaries, id, { role: "primary", port: primaryPort })),
      this.track(LocalPostgres.start(this.dir(), binaries, replicaId, { role: "standby", primaryPort })),
    ]);
    if (primary.status === "rejected" || replica.status === "rejected") {
      // The replica first: a replica outliving its primary only retries.
      if (replica.status === "fulfilled") await replica.value.stop();
      if (primary.status === "fulfilled") await primary.value.stop();
      throw primary.status === "rejected" ? primary.reason : (replica as PromiseRejectedResult).reason;
    }
    this.teardown.add(id, () => primary.value.stop());
    this.servers.set(id, primary.value);
    // Added after the primary's, so it runs first: a replica outliving its primary only retries.
    this.teardown.add(replicaId, () => replica.value.stop());
    this.servers.set(replicaId, replica.value);
    return { primary: primary.value, replica: replica.value };
  }

  private async allocatePair(options: { exclusive: boolean }): Promise<ReplicatedPostgresTarget> {
    const pair = options.exclusive ? await this.startPair() : await (this.sharedPair ??= this.startPair());
    // A pair of its own serves one hidden file: its own postgres database saves creating one and replaying that.
    const database = options.exclusive ? "postgres" : `katas_${++this.nextDatabase}`;
    const on = (server: LocalPostgres) => ({ host: "127.0.0.1", port: server.port, user: localPostgresUser, database });
    if (!options.exclusive) {
      await postgresAdmin({ ...on(pair.primary), database: "postgres" }, `CREATE DATABASE ${database} STRATEGY FILE_COPY`);
      // The replica must hold the new database before a test connects to it there.
      await waitForReplay({ ...on(pair.primary), database: "postgres" }, { ...on(pair.replica), database: "postgres" });
    }
    const target = (server: LocalPostgres): PostgresTarget => ({ kind: "postgres", ...on(server), serverId: this.idOf(server), exclusive: options.exclusive });
    return { kind: "replicated-postgres", primary: target(pair.primary), replica: target(pair.replica), exclusive: options.exclusive };
  }

  private idOf(server: ServerControl): string {
    for (const [id, candidate] of this.servers) if (candidate === server) return id;
    throw new Error("unknown server");
  }

  async allocate(kind: ServiceKind, options: { exclusive: boolean }): Promise<ServiceTarget> {
    if (kind === "redis") {
      const server = options.exclusive ? await this.startRedis() : (this.sharedRedis ??= await this.startRedis());
      const db = options.exclusive ? 0 : this.nextRedisDb++;
      if (db >= localRedisDatabases) throw new Error(`more than ${localRedisDatabases} hidden files need Redis`);
      const target: RedisTarget = { kind, host: "127.0.0.1", port: server.port, db, serverId: this.idOf(server), exclusive: options.exclusive };
      return target;
    }
    if (kind === "replicated-postgres") return this.allocatePair(options);
    const server = options.exclusive ? await this.startPostgres() : (this.sharedPostgres ??= await this.startPostgres());
    const database = `katas_${++this.nextDatabase}`;
    const admin = { host: "127.0.0.1", port: server.port, user: localPostgresUser, database: "postgres" };
    await postgresAdmin(admin, `CREATE DATABASE ${database}`);
    const target: PostgresTarget = { kind, host: "127.0.0.1", port: server.port, user: localPostgresUser, database, serverId: this.idOf(server), exclusive: options.exclusive };
    return target;
  }

  control(serverId: string): ServerControl | undefined {
    return this.servers.get(serverId);
  }

  versions(): Partial<Record<ServiceKind, string>> {
    return { ...this.serverVersions };
  }
}
