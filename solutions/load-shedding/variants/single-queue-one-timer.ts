/**
 * A correct variant built another way: one array of waiting requests kept in service
 * order (class, then arrival), one timer for the earliest deadline instead of a timer per
 * request, a guard flag instead of relying on "close" firing once, eviction of the
 * longest-waiting request of the lowest class, and a Vegas-like limit (+2 when healthy,
 * hold in a dead band, ×0.75 when slow) against a windowed minimum latency.
 */
import type { NextFunction, Request, Response } from "express";
import type { Admission, AdmissionOptions } from "../../../challenges/load-shedding/src/index.ts";

interface Entry {
  rank: number;
  seq: number;
  deadline: number;
  res: Response;
  go(): void;
  drop(): void;
}

const ranks: Record<string, number> = { critical: 0, normal: 1, sheddable: 2 };

class WindowedMinimum {
  private readonly values: number[] = [];
  constructor(private readonly size: number) {}
  add(value: number): number {
    this.values.push(value);
    if (this.values.length > this.size) this.values.shift();
    return Math.min(...this.values);
  }
}

export function createAdmission(options: AdmissionOptions): Admission {
  const adaptive = options.adaptive;
  const clamp = (value: number) => (adaptive ? Math.min(adaptive.max, Math.max(adaptive.min, Math.round(value))) : value);
  const now = adaptive?.now ?? Date.now;
  const baseline = new WindowedMinimum(500);
  let limit = clamp(options.maxConcurrent);
  let active = 0;
  let seq = 0;
  const waiting: Entry[] = [];
  let timer: NodeJS.Timeout | undefined;

  const overloaded = (res: Response) => {
    if (res.headersSent || res.writableEnded || res.destroyed) return;
    res.statusCode = 503;
    res.setHeader("Retry-After", `${options.retryAfterSeconds}`);
    res.setHeader("Content-Type", "application/json; charset=utf-8");
    res.end(JSON.stringify({ error: "overloaded", reason: "queue" }));
  };

  const remove = (entry: Entry) => {
    const index = waiting.indexOf(entry);
    if (index >= 0) waiting.splice(index, 1);
    entry.drop();
    rearm();
  };

  const rearm = () => {
    clearTimeout(timer);
    timer = undefined;
    if (waiting.length === 0) return;
    const earliest = Math.min(...waiting.map((entry) => entry.deadline));
    timer = setTimeout(expire, Math.max(0, earliest - performance.now()));
  };

  const expire = () => {
    const at = performance.now();
    for (const entry of waiting.filter((candidate) => candidate.deadline <= at)) {
      remove(entry);
      overloaded(entry.res);
    }
    rearm();
  };

  const learn = (latency: number) => {
    if (!adaptive) return;
    const floor = baseline.add(latency);
    const ratio = latency / Math.max(floor, Number.EPSILON);
    if (ratio <= 1.3) limit = clamp(limit + 2);
    else if (ratio > 1.6) limit = clamp(Math.floor(limit * 0.75));
  };

  const pump = () => {
    while (active < limit && waiting.length > 0) {
      const entry = waiting.shift()!;
      entry.drop();
      entry.go();
    }
    rearm();
  };

  const run = (res: Response, next: NextFunction) => {
    active++;
    const started = now();
    let done = false;
    const finished = () => {
      if (done) return;
      done = true;
      if (res.writableFinished) learn(now() - started);
      active--;
      pump();
    };
    res.on("finish", finished);
    res.on("close", finished);
    next();
  };

  const middleware = (req: Request, res: Response, next: NextFunction) => {
    const rank = ranks[String(options.priority?.(req))] ?? 1;
    if (waiting.length === 0 && active < limit) return run(res, next);
    if (waiting.length >= options.maxQueue) {
      // The longest-waiting request of the lowest class below the arrival's.
      let victim: Entry | undefined;
      for (const entry of waiting) if (entry.rank > rank && (!victim || entry.rank > victim.rank)) victim = entry;
      if (!victim) return overloaded(res);
      remove(victim);
      overloaded(victim.res);
    }
    const onClose = () => remove(entry);
    const entry: Entry = {
      rank,
      seq: seq++,
      deadline: performance.now() + options.maxQueueWaitMs,
      res,
      go: () => run(res, next),
      drop: () => res.off("close", onClose),
    };
    res.on("close", onClose);
    let at = waiting.length;
    while (at > 0 && waiting[at - 1]!.rank > rank) at--;
    waiting.splice(at, 0, entry);
    rearm();
  };

  return { middleware, inflight: () => active, queued: () => waiting.length, limit: () => limit };
}
