import { defineChallenge } from "../../harness/challenges/define-challenge.ts";

export default defineChallenge({
  slug: "circuit-breaker",
  title: "Circuit breaker shared by a fleet",
  difficulty: "hard",
  summary: "A closed/open/half-open circuit breaker whose state a fleet shares through Redis: failure-rate windows, timeouts, bounded probes, and local protection while Redis is down or hangs.",
  services: ["redis"],
  exports: ["createBreaker", "BreakerOpenError", "CallTimeoutError"],
  stages: [
    {
      slug: "opening",
      title: "Opening",
      summary: "The failure rate over the last windowSize outcomes opens the breaker at the threshold, never below minimumCalls.",
      hints: [
        "Keep the last windowSize outcomes (a capped list) and the number of failures among them; open when there are at least minimumCalls and failures / calls >= failureRate.",
        "The window slides: when a new outcome pushes it past windowSize, the oldest one leaves, and if it was a failure the failure count goes down.",
      ],
    },
    {
      slug: "open",
      title: "Open",
      summary: "An open breaker rejects at once without calling fn, for exactly openMs after it opened.",
      hints: [
        "Store when the breaker opened (or until when it stays open) with the state; measure from the outcome that opened it.",
        "A rejected call is not an outcome: it must not touch the window or the open timer.",
      ],
    },
    {
      slug: "half-open",
      title: "Half-open",
      summary: "After openMs, at most halfOpenPermits probes at once; halfOpenSuccesses close it, one failure reopens it with a fresh timer.",
      hints: [
        "Taking a probe permit must be atomic with reading the state: count permits in Redis inside one script.",
        "Closing starts a fresh window; a failed probe reopens the breaker for a full openMs from that failure.",
      ],
    },
    {
      slug: "timeouts",
      title: "Timeouts",
      summary: "A call that hangs fails with CallTimeoutError at timeoutMs, its signal aborts, it counts once, and a hung probe frees its permit.",
      hints: [
        "Race fn against a timer started when fn is called; on the timer, abort the signal and settle at once, without waiting for fn.",
        "Record the outcome exactly once: the timer's failure. Whatever fn does afterwards is ignored.",
      ],
    },
    {
      slug: "filtering",
      title: "Filtering",
      summary: "isFailure decides which rejections count as failures; the others count as successes.",
      hints: ["A rejection that isFailure clears still reaches the caller unchanged, but the dependency answered: record it as a success."],
    },
    {
      slug: "fleet",
      title: "Fleet",
      summary: "Breakers with the same name on separate connections share the window, the state and the probe permits, atomically.",
      hints: [
        "Record each outcome and evaluate the window in one Lua script, so concurrent instances never lose an update.",
        "An instance may trust what it last learned from Redis for at most 100 ms: after that, ask again before admitting a call.",
      ],
    },
    {
      slug: "resilience",
      title: "Resilience",
      summary: "With Redis stopped or hanging, the breaker keeps protecting with local state, never throws or waits on its own bookkeeping, and shares state again when Redis is back.",
      faults: ["redis"],
      hints: [
        "Give every round trip a deadline (250 ms) and treat a failure or a missed deadline as 'Redis unavailable': decide and record locally instead.",
        "Keep a small in-memory breaker with the same rules for those moments; when Redis answers again, its state is the one that counts.",
      ],
    },
    {
      slug: "efficiency",
      title: "Efficiency",
      summary: "At most two round trips for a call while closed, one for a rejection.",
      hints: ["One script to decide and one to record is two round trips; an instance that trusts its last reply for up to 100 ms needs only the second."],
    },
  ],
});
