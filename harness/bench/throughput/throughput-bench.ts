import type { Redis } from "ioredis";
import type pg from "pg";
import type { ServiceKind } from "../../challenges/define-challenge.ts";

/** Live connections a throughput measurement may use. */
export interface BenchConnections {
  redis?: Redis;
  pg?: pg.Pool;
  /** For `replicated-postgres`: pools on the primary and on its replica, same database. */
  primary?: pg.Pool;
  replica?: pg.Pool;
}

/** A reference's throughput next to the limit of its store, measured through the same client. */
export interface ThroughputBench {
  challenge: string;
  services: ServiceKind[];
  unit: string;
  /** What the reference does, e.g. "consume()". */
  referenceName: string;
  /** The physical limit it is compared with, e.g. "one-key EVALSHA". */
  limitName: string;
  concurrency: number;
  reference(connections: BenchConnections): Promise<number>;
  limit(connections: BenchConnections): Promise<number>;
}
