/**
 * exec() over the shared state: admission from what this instance last learned from
 * Redis (for at most syncMs), one script round trip to record each outcome, a deadline on
 * every round trip, and a local breaker while Redis is unavailable. See NOTES.md.
 */
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { Breaker, BreakerOptions, BreakerState } from "../../challenges/circuit-breaker/src/index.ts";
import { BreakerOpenError, CallTimeoutError } from "./breaker-errors.ts";
import { admitLua, recordLua, stateLua, type ScriptFlaws } from "./breaker-scripts.ts";
import { LocalBreaker, type LocalTicket } from "./local-breaker.ts";
import { script, type Script } from "./run-script.ts";

/** The choices a breaker makes; the reference's are `referencePolicy`. */
export interface BreakerPolicy {
  flaws: ScriptFlaws;
  /** How long an instance trusts a "closed" it learned from Redis before asking again. */
  syncMs: number;
  /** Deadline of one round trip; null waits for Redis however long it takes. */
  roundTripMs: number | null;
  /** When Redis fails: decide locally, or let the error reach the caller. */
  whenRedisFails: "local" | "throw";
  /** Share state through Redis, or keep it in this instance only. */
  shared: boolean;
  /** Probe permits counted across the fleet (in Redis) or per instance. */
  permits: "fleet" | "instance";
  /** When a hung call is settled: at timeoutMs, at half of it, or (signal aborted at timeoutMs) only once fn settles. */
  timeout: "exact" | "half" | "wait-for-fn";
  /** A rejection that isFailure clears: a success, or not recorded at all. */
  filtered: "success" | "ignored";
  /** Record a probe that timed out (reopening the breaker), or forget it. */
  recordProbeTimeouts: boolean;
  /** Record each refused call as a failure (with the flaw that a failure while open restarts the timer). */
  recordRefusals?: boolean;
  /** Overrides how an outcome reaches Redis (the read-modify-write mistake). */
  record?: (redis: Redis, keys: string[], args: (string | number)[]) => Promise<unknown>;
}

export const referencePolicy: BreakerPolicy = {
  flaws: {},
  syncMs: 100,
  roundTripMs: 250,
  whenRedisFails: "local",
  shared: true,
  permits: "fleet",
  timeout: "exact",
  filtered: "success",
  recordProbeTimeouts: true,
};

const CLOSED = 0;
const OPEN = 1;
const stateNames: BreakerState[] = ["closed", "open", "half_open"];
const unavailable: unique symbol = Symbol("redis unavailable");

type Ticket = { where: "redis"; probe: boolean; generation: number; id: string } | ({ where: "local" } & LocalTicket);
type Outcome<T> = { settled: "value"; value: T } | { settled: "error"; error: unknown } | { settled: "timeout"; error: CallTimeoutError };

export function createPolicyBreaker(options: BreakerOptions, policy: BreakerPolicy): Breaker {
  const { name, redis, timeoutMs, isFailure = () => true } = options;
  const prefix = options.prefix ?? "breaker:";
  // One hash slot for the three keys, so the scripts would also run on a Redis Cluster.
  const keys = [`${prefix}{${name}}`, `${prefix}{${name}}:window`, `${prefix}{${name}}:probes`];
  const admitScript = script(admitLua());
  const recordScript: Script = policy.record ? (client, k, args) => policy.record!(client, k, args) : script(recordLua(policy.flaws));
  const stateScript = script(stateLua());
  const local = new LocalBreaker(options);
  const instance = randomBytes(6).toString("base64url");
  let probeSeq = 0;
  let probesHere = 0;
  // What this instance last learned from Redis, and when it sent the question.
  let learned = { state: -1, openUntil: 0, at: -Infinity };
  const permitLeaseMs = timeoutMs + 1000;
  const config = [options.windowSize, options.minimumCalls, String(options.failureRate), options.openMs, options.halfOpenSuccesses];

  function roundTrip<T>(send: () => Promise<T>): Promise<T | typeof unavailable> {
    const sent = send();
    if (policy.whenRedisFails === "throw") return sent;
    const failed = (): typeof unavailable => {
      learned.at = -Infinity;
      return unavailable;
    };
    if (policy.roundTripMs === null) return sent.catch(failed);
    const deadline = policy.roundTripMs;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(failed()), deadline);
      sent.then(
        (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        () => {
          clearTimeout(timer);
          resolve(failed());
        },
      );
    });
  }

  function learn(reply: number[], sentAt: number): void {
    learned = { state: reply[0]!, openUntil: sentAt + reply[1]!, at: sentAt };
  }

  function admitLocally(): Ticket {
    const ticket = local.admit();
    if (!ticket) throw new BreakerOpenError(name);
    return { where: "local", ...ticket };
  }

  async function admit(): Promise<Ticket> {
    if (!policy.shared) return admitLocally();
    const now = Date.now();
    if (learned.state === CLOSED && now - learned.at < policy.syncMs) return { where: "redis", probe: false, generation: 0, id: "" };
    if (learned.state === OPEN && now < learned.openUntil) throw new BreakerOpenError(name);
    const id = `${instance}:${++probeSeq}`;
    let permits = options.halfOpenPermits;
    if (policy.permits === "instance") {
      // The flaw: this instance's own count is the only bound; Redis is told "no limit".
      permits = probesHere < options.halfOpenPermits ? Number.MAX_SAFE_INTEGER : 0;
      probesHere++;
    }
    const reply = await roundTrip(() => admitScript(redis, keys, [permits, id, permitLeaseMs]) as Promise<number[]>);
    const granted = reply !== unavailable && reply[0] !== CLOSED && reply[3] === 1;
    if (policy.permits === "instance" && !granted) probesHere--;
    if (reply === unavailable) return admitLocally();
    learn(reply, now);
    if (reply[0] === CLOSED) return { where: "redis", probe: false, generation: 0, id: "" };
    if (granted) return { where: "redis", probe: true, generation: reply[2]!, id };
    throw new BreakerOpenError(name);
  }

  async function record(ticket: Ticket, failed: boolean): Promise<void> {
    if (ticket.where === "local") return local.record(ticket, failed);
    if (ticket.probe && policy.permits === "instance") probesHere--;
    const sentAt = Date.now();
    const args = [failed ? 1 : 0, ticket.probe ? 1 : 0, ticket.generation, ticket.id, ...config];
    const reply = await roundTrip(() => recordScript(redis, keys, args) as Promise<number[]>);
    if (reply === unavailable) local.record({ probe: false, generation: 0 }, failed);
    else learn(reply, sentAt);
  }

  function call<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<Outcome<T>> {
    const controller = new AbortController();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = () => {
        const error = new CallTimeoutError(name, timeoutMs);
        controller.abort(error);
        if (policy.timeout !== "wait-for-fn") resolve({ settled: "timeout", error });
        else fnSettled.then(() => resolve({ settled: "timeout", error }));
      };
      timer = setTimeout(timedOut, policy.timeout === "half" ? timeoutMs / 2 : timeoutMs);
      // fn may throw synchronously; that is a rejection like any other.
      const fnSettled = Promise.resolve()
        .then(() => fn(controller.signal))
        .then(
          (value) => resolve({ settled: "value", value }),
          (error: unknown) => resolve({ settled: "error", error }),
        )
        .finally(() => clearTimeout(timer));
    });
  }

  return {
    async exec<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
      const ticket = await admit().catch(async (error: unknown) => {
        if (policy.recordRefusals && error instanceof BreakerOpenError) await record({ where: "redis", probe: false, generation: 0, id: "" }, true);
        throw error;
      });
      const outcome = await call(fn);
      if (outcome.settled === "value") await record(ticket, false);
      else if (outcome.settled === "timeout") {
        if (policy.recordProbeTimeouts || !ticket.probe) await record(ticket, true);
      } else {
        const failed = isFailure(outcome.error);
        if (failed || policy.filtered === "success") await record(ticket, failed);
        else if (ticket.probe) await record(ticket, false);
      }
      if (outcome.settled === "value") return outcome.value;
      throw outcome.error;
    },

    async state(): Promise<BreakerState> {
      if (!policy.shared) return local.state();
      const reply = await roundTrip(() => stateScript(redis, keys.slice(0, 1), []) as Promise<number>);
      return reply === unavailable ? local.state() : stateNames[reply]!;
    },
  };
}
