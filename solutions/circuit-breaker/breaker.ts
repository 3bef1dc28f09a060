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
import { unavailable, RoundTrips, type Unavailable } from "./round-trips.ts";
import { script, type Script } from "./run-script.ts";
import { runThisTurn } from "./this-turn.ts";

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
  /** Send the outcomes of calls that settle in the same turn of the event loop in one round trip. */
  batchOutcomes: boolean;
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
  batchOutcomes: true,
};

const CLOSED = 0;
const OPEN = 1;
const stateNames: BreakerState[] = ["closed", "open", "half_open"];

type Ticket = { where: "redis"; probe: boolean; generation: number; id: string } | ({ where: "local" } & LocalTicket);

export function createPolicyBreaker(options: BreakerOptions, policy: BreakerPolicy): Breaker {
  const { name, redis, timeoutMs, isFailure = () => true } = options;
  const prefix = options.prefix ?? "breaker:";
  // One hash slot for the three keys, so the scripts would also run on a Redis Cluster.
  const keys = [`${prefix}{${name}}`, `${prefix}{${name}}:window`, `${prefix}{${name}}:probes`];
  const admitScript = script(admitLua());
  const recordScript: Script = policy.record ? Object.assign(policy.record, { sha: "", lua: "" }) : script(recordLua(policy.flaws));
  const stateScript = script(stateLua());
  const local = new LocalBreaker(options);
  const instance = randomBytes(6).toString("base64url");
  let probeSeq = 0;
  let probesHere = 0;
  // What this instance last learned from Redis, and when it sent the question.
  const learned = { state: -1, openUntil: 0, at: -Infinity };
  const permitLeaseMs = timeoutMs + 1000;
  const config = [options.windowSize, options.minimumCalls, String(options.failureRate), options.openMs, options.halfOpenSuccesses];

  const roundTrips = new RoundTrips(policy.roundTripMs, () => {
    learned.at = -Infinity;
  });
  function roundTrip<T>(send: () => Promise<T>): Promise<T | Unavailable> {
    return policy.whenRedisFails === "throw" ? send() : roundTrips.run(send);
  }

  function learn(reply: number[], sentAt: number): void {
    learned.state = reply[0]!;
    learned.openUntil = sentAt + reply[1]!;
    learned.at = sentAt;
  }

  function admitLocally(): Ticket {
    const ticket = local.admit();
    if (!ticket) throw new BreakerOpenError(name);
    return { where: "local", ...ticket };
  }

  const plainCall = { where: "redis", probe: false, generation: 0, id: "" } as const;

  /** The hot path, without a round trip: a ticket, a refusal (null), or undefined when Redis must be asked. */
  function admitFromWhatWeKnow(): Ticket | null | undefined {
    if (!policy.shared) {
      const ticket = local.admit();
      return ticket && { where: "local", ...ticket };
    }
    const now = Date.now();
    if (learned.state === CLOSED && now - learned.at < policy.syncMs) return plainCall;
    if (learned.state === OPEN && now < learned.openUntil) return null;
    return undefined;
  }

  async function admitFromRedis(): Promise<Ticket | null> {
    const sentAt = Date.now();
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
    if (reply === unavailable) {
      const ticket = local.admit();
      return ticket && { where: "local", ...ticket };
    }
    learn(reply, sentAt);
    if (reply[0] === CLOSED) return plainCall;
    return granted ? { where: "redis", probe: true, generation: reply[2]!, id } : null;
  }

  /** Records an outcome; a promise only when it takes a round trip. */
  function record(ticket: Ticket, failed: boolean): Promise<void> | undefined {
    if (ticket.where === "local") return void local.record(ticket, failed);
    if (!ticket.probe && policy.batchOutcomes) return batched(failed);
    if (ticket.probe && policy.permits === "instance") probesHere--;
    return send(failed ? "1" : "0", ticket);
  }

  function send(outcomes: string, ticket: Ticket & { where: "redis" }): Promise<void> {
    const sentAt = Date.now();
    const args = [outcomes, ticket.probe ? 1 : 0, ticket.generation, ticket.id, ...config];
    return roundTrip(() => recordScript(redis, keys, args) as Promise<number[]>).then((reply) => {
      if (reply !== unavailable) return learn(reply, sentAt);
      recordLocally(outcomes);
    });
  }

  function recordLocally(outcomes: string): void {
    for (const outcome of outcomes) local.record({ probe: false, generation: 0 }, outcome === "1");
  }

  // Calls that settle in the same turn of the event loop share one script call: their
  // outcomes go to Redis together, in the order they settled, in the pipeline of that turn.
  interface Batch {
    outcomes: string;
    recorded: Promise<void>;
  }
  let batch: Batch | undefined;
  function batched(failed: boolean): Promise<void> {
    if (!batch) {
      const current: Batch = { outcomes: "", recorded: Promise.resolve() };
      const sentAt = Date.now();
      const args = () => {
        if (batch === current) batch = undefined;
        return [current.outcomes, 0, 0, "", ...config];
      };
      current.recorded = roundTrip(() => runThisTurn(redis, recordScript, keys, args) as Promise<number[]>).then((reply) => {
        if (batch === current) batch = undefined;
        if (reply !== unavailable) return learn(reply, sentAt);
        recordLocally(current.outcomes);
      });
      batch = current;
    }
    batch.outcomes += failed ? "1" : "0";
    return batch.recorded;
  }

  function refuse(): Promise<never> {
    const error = new BreakerOpenError(name);
    if (!policy.recordRefusals) return Promise.reject(error);
    return Promise.resolve(record(plainCall, true)).then(() => Promise.reject(error));
  }

  /** Calls fn under its timeout, records the outcome once, then settles as fn did (or with the timeout). */
  function run<T>(ticket: Ticket, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const controller = new AbortController();
      let settled = false;
      const finish = (failed: boolean | null, settle: () => void) => {
        settled = true;
        const recorded = failed === null ? undefined : record(ticket, failed);
        if (recorded) recorded.then(settle);
        else settle();
      };
      const timer = setTimeout(
        () => {
          const error = new CallTimeoutError(name, timeoutMs);
          controller.abort(error);
          if (policy.timeout === "wait-for-fn" || settled) return;
          finish(policy.recordProbeTimeouts || !ticket.probe ? true : null, () => reject(error));
        },
        policy.timeout === "half" ? timeoutMs / 2 : timeoutMs,
      );
      let pending: Promise<T>;
      try {
        pending = fn(controller.signal);
      } catch (error) {
        pending = Promise.reject(error);
      }
      Promise.resolve(pending).then(
        (value) => {
          if (settled) return;
          clearTimeout(timer);
          finish(false, () => resolve(value));
        },
        (error: unknown) => {
          if (settled) return;
          clearTimeout(timer);
          const failed = isFailure(error);
          finish(failed ? true : policy.filtered === "success" || ticket.probe ? false : null, () => reject(error));
        },
      );
    });
  }

  return {
    exec<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
      const ticket = admitFromWhatWeKnow();
      if (ticket) return run(ticket, fn);
      if (ticket === null) return refuse();
      return admitFromRedis().then((admitted) => (admitted ? run(admitted, fn) : refuse()));
    },

    async state(): Promise<BreakerState> {
      if (!policy.shared) return local.state();
      const reply = await roundTrip(() => stateScript(redis, keys.slice(0, 1), []) as Promise<number>);
      return reply === unavailable ? local.state() : stateNames[reply]!;
    },
  };
}
