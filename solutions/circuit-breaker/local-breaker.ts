/**
 * The same state machine in memory, on the local clock: what an instance decides with
 * while Redis is stopped or hanging (and the whole breaker in the local-only mistake).
 */
import type { BreakerState } from "../../challenges/circuit-breaker/src/index.ts";

export interface BreakerRules {
  windowSize: number;
  minimumCalls: number;
  failureRate: number;
  openMs: number;
  halfOpenPermits: number;
  halfOpenSuccesses: number;
}

/** Permission to call fn: a plain call while closed, or a probe of one half-open period. */
export interface LocalTicket {
  probe: boolean;
  generation: number;
}

export class LocalBreaker {
  #state: 0 | 1 | 2 = 0;
  #window: boolean[] = [];
  #failures = 0;
  #openUntil = 0;
  #successes = 0;
  #probes = 0;
  #generation = 0;

  constructor(private readonly rules: BreakerRules) {}

  /** A ticket, or null when the call must be rejected. */
  admit(now = Date.now()): LocalTicket | null {
    if (this.#state === 1) {
      if (now < this.#openUntil) return null;
      this.#state = 2;
      this.#generation++;
      this.#successes = 0;
      this.#probes = 0;
    }
    if (this.#state === 0) return { probe: false, generation: this.#generation };
    if (this.#probes >= this.rules.halfOpenPermits) return null;
    this.#probes++;
    return { probe: true, generation: this.#generation };
  }

  record(ticket: LocalTicket, failed: boolean, now = Date.now()): void {
    if (ticket.probe) {
      if (this.#state !== 2 || ticket.generation !== this.#generation) return;
      this.#probes--;
      if (failed) this.#open(now);
      else if (++this.#successes >= this.rules.halfOpenSuccesses) this.#reset(0);
      return;
    }
    if (this.#state !== 0) return;
    this.#window.push(failed);
    if (failed) this.#failures++;
    if (this.#window.length > this.rules.windowSize && this.#window.shift()) this.#failures--;
    const calls = this.#window.length;
    if (calls >= this.rules.minimumCalls && this.#failures / calls >= this.rules.failureRate) this.#open(now);
  }

  state(now = Date.now()): BreakerState {
    if (this.#state === 0) return "closed";
    if (this.#state === 1 && now < this.#openUntil) return "open";
    return "half_open";
  }

  #open(now: number): void {
    this.#reset(1);
    this.#openUntil = now + this.rules.openMs;
  }

  #reset(state: 0 | 1): void {
    this.#state = state;
    this.#generation++;
    this.#window = [];
    this.#failures = 0;
    this.#successes = 0;
    this.#probes = 0;
  }
}
