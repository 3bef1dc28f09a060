import { readFileSync } from "node:fs";

/** A graded test's limit, stretched by how long the machine made runnable tasks wait for a CPU. */
export interface MachineTimeLimit {
  /** The limit the test declares, in ms of a quiet machine. */
  limitMs: number;
  /** The most wall time it may get on a busy machine, as a multiple of `limitMs`. */
  maxStretch: number;
}

/** What to do when a limit's timer fires: give up, or look again in `checkInMs`. */
export type LimitCheck = { expired: true; wallMs: number } | { expired: false; checkInMs: number };

/**
 * Decides at wall time `wallMs` whether a test out of `limit` is out of time. Time in
 * which the machine had runnable tasks waiting for a CPU (`busyMs`) does not count, up to
 * `limit.maxStretch` times the limit in wall time.
 */
export function checkLimit(limit: MachineTimeLimit, wallMs: number, busyMs: number): LimitCheck {
  const capMs = limit.limitMs * limit.maxStretch;
  const machineMs = wallMs - Math.min(busyMs, wallMs);
  if (machineMs >= limit.limitMs || wallMs >= capMs) return { expired: true, wallMs };
  return { expired: false, checkInMs: Math.max(25, Math.min(limit.limitMs - machineMs, capMs - wallMs)) };
}

/**
 * Milliseconds, since boot, in which some runnable task waited for a CPU (Linux pressure
 * stall information); undefined where the kernel does not say (macOS, PSI off).
 */
export function cpuBusyMs(): number | undefined {
  try {
    const some = /^some .*total=(\d+)/m.exec(readFileSync("/proc/pressure/cpu", "utf8"));
    return some ? Number(some[1]) / 1000 : undefined;
  } catch {
    return undefined;
  }
}

function busySince(busyAtStart: number | undefined): number {
  const busyNow = cpuBusyMs();
  return busyAtStart === undefined || busyNow === undefined ? 0 : busyNow - busyAtStart;
}

/**
 * A deadline `limit.limitMs` of machine time from now: for a suite's own liveness bounds
 * ("all calls start within 12 s"), which a loaded machine should not fail either.
 */
export function machineDeadline(limit: MachineTimeLimit): { passed(): boolean } {
  const startedAt = performance.now();
  const busyAtStart = cpuBusyMs();
  return { passed: () => checkLimit(limit, performance.now() - startedAt, busySince(busyAtStart)).expired };
}

/** A test ran out of its limit; the message keeps vitest's wording, which grading classifies as a timeout. */
export class MachineTimeExceeded extends Error {
  override name = "MachineTimeExceeded";
  readonly code = "MACHINE_TIME_EXCEEDED";
  constructor(limitMs: number, wallMs: number) {
    const busy = wallMs > limitMs + 50 ? ` (the machine was busy, so it had ${Math.round(wallMs)} ms of wall time)` : "";
    super(`Test timed out in ${limitMs}ms${busy}.`);
  }
}

/**
 * Runs `body` within `limit` counted in machine time: on a quiet machine that is wall
 * time; on a loaded one, a test that waited for a CPU gets that time back, so a limit
 * meant to catch a hang does not fail slow-but-working code on a busy machine.
 */
export async function withinMachineTime<T>(limit: MachineTimeLimit, body: () => Promise<T>): Promise<T> {
  const startedAt = performance.now();
  const busyAtStart = cpuBusyMs();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    const check = () => {
      const verdict = checkLimit(limit, performance.now() - startedAt, busySince(busyAtStart));
      if (verdict.expired) reject(new MachineTimeExceeded(limit.limitMs, verdict.wallMs));
      else timer = setTimeout(check, verdict.checkInMs);
    };
    timer = setTimeout(check, limit.limitMs);
  });
  try {
    return await Promise.race([body(), expired]);
  } finally {
    clearTimeout(timer);
  }
}
