/**
 * A correct variant built the other way wherever the spec leaves a choice:
 * - no local view: every call asks Redis first (one EVAL to decide, one to record: two
 *   round trips, the most rule 18 allows), so the fleet learns of an opening at once;
 * - plain EVAL each time, no script cache;
 * - the window is a string of '0'/'1' in one hash field, and half-open is not stored:
 *   it is "open, and the open period is over";
 * - probe permits are keys of their own (one per permit, SET NX PX), not a sorted set;
 * - while Redis is unavailable, a small breaker in memory decides, with a 200 ms
 *   deadline per round trip instead of 250.
 */
import type { Redis } from "ioredis";
import type { Breaker, BreakerOptions, BreakerState } from "../../../challenges/circuit-breaker/src/index.ts";

export class BreakerOpenError extends Error {
  override name = "BreakerOpenError";
  readonly code = "BREAKER_OPEN";
  constructor(readonly breaker: string) {
    super(`breaker ${breaker} is open`);
  }
}

export class CallTimeoutError extends Error {
  override name = "CallTimeoutError";
  readonly code = "CALL_TIMEOUT";
  constructor(
    readonly breaker: string,
    readonly timeoutMs: number,
  ) {
    super(`breaker ${breaker}: no answer within ${timeoutMs} ms`);
  }
}

const nowLua = `local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)`;

// KEYS: hash, slot prefix. ARGV: permits, probe id, lease ms. Returns {decision (0 call, 1 probe, -1 refuse), generation}.
const decideLua = `${nowLua}
local mode, till, gen = unpack(redis.call('HMGET', KEYS[1], 'mode', 'until', 'gen'))
gen = tonumber(gen) or 0
if mode ~= 'open' then return {0, gen} end
if now < tonumber(till) then return {-1, gen} end
for i = 1, tonumber(ARGV[1]) do
  if redis.call('SET', KEYS[2] .. i, ARGV[2] .. '|' .. gen, 'PX', ARGV[3], 'NX') then return {1, gen} end
end
return {-1, gen}`;

// KEYS: hash, slot prefix. ARGV: failed, probe, generation, probe id, size, minimum, rate, openMs, successes, permits.
const recordLua = `${nowLua}
local failed, probe = ARGV[1] == '1', ARGV[2] == '1'
local mode, till, gen, w, ok = unpack(redis.call('HMGET', KEYS[1], 'mode', 'until', 'gen', 'w', 'ok'))
gen = tonumber(gen) or 0
local function clearSlots() for i = 1, tonumber(ARGV[10]) do redis.call('DEL', KEYS[2] .. i) end end
if probe then
  if mode ~= 'open' or gen ~= tonumber(ARGV[3]) then return 0 end
  local mine = ARGV[4] .. '|' .. gen
  local held = false
  for i = 1, tonumber(ARGV[10]) do
    if redis.call('GET', KEYS[2] .. i) == mine then redis.call('DEL', KEYS[2] .. i) held = true end
  end
  if not held then return 0 end
  if failed then
    clearSlots()
    redis.call('HSET', KEYS[1], 'until', now + tonumber(ARGV[8]), 'gen', gen + 1, 'ok', 0)
  elseif redis.call('HINCRBY', KEYS[1], 'ok', 1) >= tonumber(ARGV[9]) then
    clearSlots()
    redis.call('HSET', KEYS[1], 'mode', 'closed', 'gen', gen + 1, 'w', '', 'ok', 0)
  end
  return 1
end
if mode == 'open' then return 0 end
w = (w or '') .. (failed and '1' or '0')
local size = tonumber(ARGV[5])
if #w > size then w = string.sub(w, -size) end
local _, failures = string.gsub(w, '1', '')
if #w >= tonumber(ARGV[6]) and failures / #w >= tonumber(ARGV[7]) then
  redis.call('HSET', KEYS[1], 'mode', 'open', 'until', now + tonumber(ARGV[8]), 'gen', gen + 1, 'w', '', 'ok', 0)
  clearSlots()
else
  redis.call('HSET', KEYS[1], 'w', w)
end
return 1`;

const stateLua = `${nowLua}
local mode, till = unpack(redis.call('HMGET', KEYS[1], 'mode', 'until'))
if mode ~= 'open' then return 'closed' end
if now < tonumber(till) then return 'open' end
return 'half_open'`;

/** The breaker of last resort, in memory. */
class MemoryBreaker {
  outcomes: boolean[] = [];
  openedUntil = 0;
  mode: "closed" | "open" = "closed";
  probes = 0;
  oks = 0;
  epoch = 0;
  constructor(private readonly o: BreakerOptions) {}

  decide(): { probe: boolean; epoch: number } | null {
    if (this.mode === "closed") return { probe: false, epoch: this.epoch };
    if (Date.now() < this.openedUntil || this.probes >= this.o.halfOpenPermits) return null;
    this.probes++;
    return { probe: true, epoch: this.epoch };
  }

  record(ticket: { probe: boolean; epoch: number }, failed: boolean): void {
    if (ticket.probe) {
      if (this.mode !== "open" || ticket.epoch !== this.epoch) return;
      this.probes--;
      if (failed) this.trip();
      else if (++this.oks >= this.o.halfOpenSuccesses) {
        this.mode = "closed";
        this.epoch++;
        this.outcomes = [];
      }
      return;
    }
    if (this.mode !== "closed") return;
    this.outcomes = [...this.outcomes, failed].slice(-this.o.windowSize);
    const failures = this.outcomes.filter(Boolean).length;
    if (this.outcomes.length >= this.o.minimumCalls && failures / this.outcomes.length >= this.o.failureRate) this.trip();
  }

  state(): BreakerState {
    if (this.mode === "closed") return "closed";
    return Date.now() < this.openedUntil ? "open" : "half_open";
  }

  private trip(): void {
    this.mode = "open";
    this.openedUntil = Date.now() + this.o.openMs;
    this.epoch++;
    this.probes = 0;
    this.oks = 0;
    this.outcomes = [];
  }
}

const deadlineMs = 200;

/** The reply, or undefined when Redis failed or did not answer in time. */
function ask<T>(redis: Redis, lua: string, keys: string[], args: (string | number)[]): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), deadlineMs);
    redis.eval(lua, keys.length, ...keys, ...args).then(
      (reply) => {
        clearTimeout(timer);
        resolve(reply as T);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

export function createBreaker(o: BreakerOptions): Breaker {
  const prefix = o.prefix ?? "breaker:";
  const keys = [`${prefix}${o.name}`, `${prefix}${o.name}:slot:`];
  const memory = new MemoryBreaker(o);
  const isFailure = o.isFailure ?? (() => true);
  let sequence = 0;

  return {
    async exec<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
      const id = `${process.pid}-${Math.random().toString(36).slice(2)}-${++sequence}`;
      const decision = await ask<[number, number]>(o.redis, decideLua, keys, [o.halfOpenPermits, id, o.timeoutMs + 1000]);
      let ticket: { shared: true; probe: boolean; gen: number } | { shared: false; probe: boolean; epoch: number };
      if (decision) {
        if (decision[0] < 0) throw new BreakerOpenError(o.name);
        ticket = { shared: true, probe: decision[0] === 1, gen: decision[1] };
      } else {
        const local = memory.decide();
        if (!local) throw new BreakerOpenError(o.name);
        ticket = { shared: false, ...local };
      }

      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<{ timeout: CallTimeoutError }>((resolve) => {
        timer = setTimeout(() => {
          const error = new CallTimeoutError(o.name, o.timeoutMs);
          controller.abort(error);
          resolve({ timeout: error });
        }, o.timeoutMs);
      });
      const ran = Promise.resolve()
        .then(() => fn(controller.signal))
        .then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
      const result = (await Promise.race([ran, timedOut])) as { value?: T; error?: unknown; timeout?: CallTimeoutError };
      clearTimeout(timer);
      const failed = result.timeout !== undefined || ("error" in result && isFailure(result.error));

      const recorded = ticket.shared
        ? await ask(o.redis, recordLua, keys, [failed ? 1 : 0, ticket.probe ? 1 : 0, ticket.gen, id, o.windowSize, o.minimumCalls, String(o.failureRate), o.openMs, o.halfOpenSuccesses, o.halfOpenPermits])
        : undefined;
      if (!ticket.shared) memory.record(ticket, failed);
      else if (recorded === undefined) memory.record({ probe: false, epoch: memory.epoch }, failed);

      if (result.timeout) throw result.timeout;
      if ("error" in result) throw result.error;
      return result.value as T;
    },

    async state(): Promise<BreakerState> {
      return (await ask<BreakerState>(o.redis, stateLua, keys.slice(0, 1), [])) ?? memory.state();
    },
  };
}
