import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import type { ServiceKind } from "../../challenges/define-challenge.ts";
import { ServiceUnavailableError, UserError } from "../../errors.ts";
import { postgresAdmin, postgresServerVersion, type PostgresConnection } from "../postgres-admin.ts";
import type { Teardown } from "../teardown.ts";
import { waitForReplay } from "../replication-admin.ts";
import type { PostgresTarget, RedisTarget, ReplicatedPostgresTarget, ServerControl, ServiceProvider, ServiceTarget } from "../types.ts";

interface RedisLocation {
  host: string;
  port: number;
  password?: string;
  username?: string;
  db: number;
}

function parseRedisUrl(raw: string): RedisLocation {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError("BAD_REDIS_URL", `REDIS_URL is not a URL: ${raw}`, { hint: "Example: REDIS_URL=redis://localhost:6379/0" });
  }
  if (url.protocol !== "redis:") {
    throw new UserError("BAD_REDIS_URL", `REDIS_URL must start with redis:// (got ${url.protocol}//).`, { hint: "Example: REDIS_URL=redis://localhost:6379/0" });
  }
  const db = Number(url.pathname.replace(/^\//, "") || 0);
  if (!Number.isInteger(db) || db < 0) throw new UserError("BAD_REDIS_URL", `REDIS_URL names database "${url.pathname}", not a number.`);
  return {
    host: url.hostname || "localhost",
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db,
  };
}

function parseDatabaseUrl(raw: string): PostgresConnection {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError("BAD_DATABASE_URL", `DATABASE_URL is not a URL.`, { hint: "Example: DATABASE_URL=postgres://postgres:postgres@localhost:5432/postgres" });
  }
  return {
    host: url.hostname || "localhost",
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || "postgres"),
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: url.pathname.replace(/^\//, "") || "postgres",
  };
}

/**
 * Servers the user already runs (`REDIS_URL`, `DATABASE_URL`). We only touch what we
 * create: Redis must be an empty database (files then take turns in it), and each
 * hidden file gets a Postgres database of its own that we drop afterwards.
 */
export class UrlProvider implements ServiceProvider {
  readonly name = "url" as const;
  readonly parallelFiles = false;
  readonly faultsUnsupportedReason = "the url provider cannot stop a server you run yourself; grade with --services local or docker to run this stage";
  private readonly runId = randomBytes(3).toString("hex");
  private nextDatabase = 0;
  private readonly serverVersions: Partial<Record<ServiceKind, string>> = {};

  constructor(
    private readonly teardown: Teardown,
    private readonly redisUrl: string | undefined,
    private readonly databaseUrl: string | undefined,
    private readonly databaseReplicaUrl?: string,
  ) {}

  async start(kinds: readonly ServiceKind[]): Promise<void> {
    if (kinds.includes("redis")) await this.checkRedis();
    if (kinds.includes("postgres")) await this.checkPostgres();
    if (kinds.includes("replicated-postgres")) await this.checkReplica();
  }

  private replicaConnection(): PostgresConnection {
    if (!this.databaseReplicaUrl) {
      throw new UserError("MISSING_DATABASE_REPLICA_URL", "--services url needs DATABASE_URL and DATABASE_REPLICA_URL for this challenge: a primary and a streaming replica of it.", {
        hint: "Example: DATABASE_URL=postgres://postgres:postgres@localhost:5432/postgres DATABASE_REPLICA_URL=postgres://postgres:postgres@localhost:5433/postgres",
      });
    }
    return parseDatabaseUrl(this.databaseReplicaUrl);
  }

  /** The replica must answer and be a standby; the primary must answer too. */
  private async checkReplica(): Promise<void> {
    const primary = this.postgresConnection();
    const replica = this.replicaConnection();
    let inRecovery: boolean;
    try {
      this.serverVersions["replicated-postgres"] = await postgresServerVersion(primary);
      inRecovery = (await postgresAdmin<{ r: boolean }>(replica, "SELECT pg_is_in_recovery() AS r")).rows[0]!.r;
    } catch (error) {
      throw new ServiceUnavailableError(`Could not reach the primary (DATABASE_URL) or the replica (DATABASE_REPLICA_URL): ${(error as Error).message}`, {
        hint: "Are both servers running and the URLs right? Or let the grader start a pair: --services local or docker.",
        cause: error,
      });
    }
    if (!inRecovery) {
      throw new UserError("NOT_A_REPLICA", `DATABASE_REPLICA_URL (${replica.host}:${replica.port}) is not a standby: pg_is_in_recovery() is false.`, {
        hint: "Point it at a streaming replica of DATABASE_URL's server.",
      });
    }
  }

  private redisLocation(): RedisLocation {
    if (!this.redisUrl) {
      throw new UserError("MISSING_REDIS_URL", "--services url needs REDIS_URL for this challenge.", { hint: "Example: REDIS_URL=redis://localhost:6379/0 npm run grade rate-limiter -- --services url" });
    }
    return parseRedisUrl(this.redisUrl);
  }

  private async checkRedis(): Promise<void> {
    const location = this.redisLocation();
    const client = new Redis({ ...location, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    client.on("error", () => {});
    try {
      await client.connect();
      const keys = await client.dbsize();
      const info = await client.info("server");
      this.serverVersions.redis = /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
      if (keys > 0) {
        throw new UserError("REDIS_NOT_EMPTY", `Redis database ${location.db} at ${location.host}:${location.port} holds ${keys} keys; the grader only runs in an empty database, so it never touches your data.`, {
          hint: `Point REDIS_URL at an empty database, e.g. redis://${location.host}:${location.port}/${location.db === 15 ? 14 : 15}.`,
        });
      }
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new ServiceUnavailableError(`Could not reach Redis at ${location.host}:${location.port}: ${(error as Error).message}`, {
        hint: "Is the server running and REDIS_URL right? Or let the grader start one: --services local or docker.",
        cause: error,
      });
    } finally {
      client.disconnect();
    }
  }

  private postgresConnection(): PostgresConnection {
    if (!this.databaseUrl) {
      throw new UserError("MISSING_DATABASE_URL", "--services url needs DATABASE_URL for this challenge.", { hint: "Example: DATABASE_URL=postgres://postgres:postgres@localhost:5432/postgres" });
    }
    return parseDatabaseUrl(this.databaseUrl);
  }

  private async checkPostgres(): Promise<void> {
    const connection = this.postgresConnection();
    try {
      this.serverVersions.postgres = await postgresServerVersion(connection);
    } catch (error) {
      throw new ServiceUnavailableError(`Could not reach Postgres at ${connection.host}:${connection.port}: ${(error as Error).message}`, {
        hint: "Is the server running and DATABASE_URL right? The user needs CREATEDB. Or let the grader start one: --services local or docker.",
        cause: error,
      });
    }
  }

  async allocate(kind: ServiceKind, _options: { exclusive: boolean }): Promise<ServiceTarget> {
    if (kind === "redis") {
      const location = this.redisLocation();
      const target: RedisTarget = { kind, host: location.host, port: location.port, username: location.username, password: location.password, db: location.db, serverId: "url-redis", exclusive: false };
      return target;
    }
    if (kind === "replicated-postgres") return this.allocatePair();
    const connection = this.postgresConnection();
    const database = `katas_${this.runId}_${++this.nextDatabase}`;
    await postgresAdmin(connection, `CREATE DATABASE ${database}`);
    this.teardown.add(`database ${database}`, () => postgresAdmin(connection, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).then(() => undefined));
    const target: PostgresTarget = { kind, ...connection, database, serverId: "url-postgres", exclusive: false };
    return target;
  }

  /** A database of ours on the primary, waited for on the replica (which replays it). */
  private async allocatePair(): Promise<ReplicatedPostgresTarget> {
    const primary = this.postgresConnection();
    const replica = this.replicaConnection();
    const database = `katas_${this.runId}_${++this.nextDatabase}`;
    await postgresAdmin(primary, `CREATE DATABASE ${database}`);
    this.teardown.add(`database ${database}`, () => postgresAdmin(primary, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).then(() => undefined));
    await waitForReplay(primary, replica);
    return {
      kind: "replicated-postgres",
      primary: { kind: "postgres", ...primary, database, serverId: "url-postgres", exclusive: false },
      replica: { kind: "postgres", ...replica, database, serverId: "url-postgres-replica", exclusive: false },
      exclusive: false,
    };
  }

  control(_serverId: string): ServerControl | undefined {
    return undefined;
  }

  versions(): Partial<Record<ServiceKind, string>> {
    return { ...this.serverVersions };
  }
}
