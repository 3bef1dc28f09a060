import type { ServiceKind } from "../challenges/define-challenge.ts";

export type ProviderName = "local" | "url" | "docker";

/** A Redis logical database reserved for one hidden test file. */
export interface RedisTarget {
  kind: "redis";
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  /** Which server this is, for fault injection. */
  serverId: string;
  /** The server serves this stage alone, so server-wide commands are safe. */
  exclusive: boolean;
}

/** A Postgres database reserved for one hidden test file. */
export interface PostgresTarget {
  kind: "postgres";
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  serverId: string;
  exclusive: boolean;
}

/**
 * A Postgres primary with one streaming (asynchronous, hot standby) replica, and a
 * database reserved for one hidden test file on both: created on the primary, replayed
 * on the replica.
 */
export interface ReplicatedPostgresTarget {
  kind: "replicated-postgres";
  /** Takes writes; `serverId` names the primary's process. */
  primary: PostgresTarget;
  /** Read-only; `serverId` names the replica's process, for stopping or freezing it on its own. */
  replica: PostgresTarget;
  /** The pair serves this stage alone, so pausing replay or stopping the replica touches nobody else. */
  exclusive: boolean;
}

export type ServiceTarget = RedisTarget | PostgresTarget | ReplicatedPostgresTarget;

/** Stops and starts one server, or hangs it, for resilience stages. */
export interface ServerControl {
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Freezes the server: it keeps its port and its connections, takes new ones, and answers nothing until `resume()`. */
  pause(): Promise<void>;
  resume(): Promise<void>;
}

/** Where a grade's Redis and Postgres come from. */
export interface ServiceProvider {
  readonly name: ProviderName;
  /** Why fault injection is impossible, or undefined when it is possible. */
  readonly faultsUnsupportedReason?: string;
  /** Whether hidden files may run at the same time (each in its own database). */
  readonly parallelFiles: boolean;
  /** Starts or checks the shared servers for these kinds. */
  start(kinds: readonly ServiceKind[]): Promise<void>;
  /** A fresh namespace for one hidden file; `exclusive` asks for a server of its own. */
  allocate(kind: ServiceKind, options: { exclusive: boolean }): Promise<ServiceTarget>;
  /** Fault control for a server allocated by this provider. */
  control(serverId: string): ServerControl | undefined;
  /** Server versions, for the report. */
  versions(): Partial<Record<ServiceKind, string>>;
}
