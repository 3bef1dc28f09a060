import { distributedLockBench } from "./distributed-lock-bench.ts";
import { feedCacheBench } from "./feed-cache-bench.ts";
import { notificationQueueBench } from "./notification-queue-bench.ts";
import { rateLimiterBench } from "./rate-limiter-bench.ts";
import { readReplicasBench } from "./read-replicas-bench.ts";
import type { ThroughputBench } from "./throughput-bench.ts";
import { urlShortenerBench } from "./url-shortener-bench.ts";

/** Every challenge's throughput comparison; a challenge without one is listed as not measured. */
export const throughputBenches: ThroughputBench[] = [rateLimiterBench, urlShortenerBench, notificationQueueBench, feedCacheBench, distributedLockBench, readReplicasBench];
