export { graded, type GradedContext, type GradedOptions, type ServerFaults } from "./graded.ts";
export { throughputComparison } from "./throughput.ts";
export { untilDisconnected, withoutUnhandledRejections } from "./resilience.ts";
export { withTimingRetries, sentBefore, InconclusiveTiming } from "./timing.ts";
export { spawnScript, type ScriptProcess } from "./child-process.ts";
export { runConcurrently, withConcurrency, callsPerSecond, eventually, sleep, sleepUntil } from "./concurrency.ts";
export type { InstrumentedRedis, RedisTraffic } from "./instrumented-redis.ts";
export type { InstrumentedPool, SqlTraffic } from "./instrumented-postgres.ts";
export { fullScans, sortedScans, oneLine } from "./query-plans.ts";
