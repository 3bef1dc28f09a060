import { bankTransfersBench } from "./bank-transfers-bench.ts";
import { circuitBreakerBench } from "./circuit-breaker-bench.ts";
import { distributedLockBench } from "./distributed-lock-bench.ts";
import { feedCacheBench } from "./feed-cache-bench.ts";
import { idempotencyKeysBench } from "./idempotency-keys-bench.ts";
import { loadSheddingBench } from "./load-shedding-bench.ts";
import { notificationQueueBench } from "./notification-queue-bench.ts";
import { queryTuningBench } from "./query-tuning-bench.ts";
import { rateLimiterBench } from "./rate-limiter-bench.ts";
import { readReplicasBench } from "./read-replicas-bench.ts";
import type { ThroughputBench } from "./throughput-bench.ts";
import { urlShortenerBench } from "./url-shortener-bench.ts";
import { zeroDowntimeMigrationBench } from "./zero-downtime-migration-bench.ts";

/** Every challenge's throughput comparison; a challenge without one is listed as not measured. */
export const throughputBenches: ThroughputBench[] = [
  rateLimiterBench,
  urlShortenerBench,
  notificationQueueBench,
  feedCacheBench,
  distributedLockBench,
  circuitBreakerBench,
  idempotencyKeysBench,
  loadSheddingBench,
  queryTuningBench,
  zeroDowntimeMigrationBench,
  bankTransfersBench,
  readReplicasBench,
];
