import { readFileSync } from "node:fs";

/** A limit that stretches by how long the machine made runnable tasks wait for a CPU. */
export interface MachineTimeLimit {
  /** The limit, in ms of a quiet machine. */
  limitMs: number;
  /** The most wall time it may take on a busy machine, as a multiple of `limitMs`. */
  maxStretch: number;
}

/**
 * Whether `limit` has run out after `wallMs` of wall time, of which the machine had runnable
 * tasks waiting for a CPU for `busyMs`: that time does not count, up to `limit.maxStretch`
 * times the limit in wall time.
 */
export function limitPassed(limit: MachineTimeLimit, wallMs: number, busyMs: number): boolean {
  return wallMs - Math.min(busyMs, wallMs) >= limit.limitMs || wallMs >= limit.limitMs * limit.maxStretch;
}

/**
 * Milliseconds, since boot, in which some runnable task waited for a CPU (Linux pressure
 * stall information); undefined where the kernel does not say (macOS, PSI off).
 */
function cpuBusyMs(): number | undefined {
  try {
    const some = /^some .*total=(\d+)/m.exec(readFileSync("/proc/pressure/cpu", "utf8"));
    return some ? Number(some[1]) / 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A deadline `limit.limitMs` of machine time from now, for a suite's own liveness bounds
 * ("all calls start within 12 s"), which a loaded machine should not fail. Not for the
 * timing a spec grades: a grade's own stages keep the CPUs busy, so it stretches on a
 * quiet machine too. Without pressure figures it is wall time.
 */
export function machineDeadline(limit: MachineTimeLimit): { passed(): boolean } {
  const startedAt = performance.now();
  const busyAtStart = cpuBusyMs();
  return {
    passed: () => {
      const busyNow = cpuBusyMs();
      const busyMs = busyAtStart === undefined || busyNow === undefined ? 0 : busyNow - busyAtStart;
      return limitPassed(limit, performance.now() - startedAt, busyMs);
    },
  };
}
