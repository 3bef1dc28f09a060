import { defineChallenge } from "../../harness/challenges/define-challenge.ts";

export default defineChallenge({
  slug: "distributed-lock",
  title: "Distributed lock with fencing tokens",
  difficulty: "hard",
  summary: "A Redis lease lock that is safe to release and extend, keeps itself alive while work runs, and protects a Postgres resource with fencing tokens.",
  services: ["redis", "postgres"],
  exports: ["createLockManager", "createFencedStore", "LockBusyError", "LockLostError"],
  stages: [
    {
      slug: "mutual-exclusion",
      title: "Mutual exclusion",
      summary: "One holder per resource across many managers and connections; unguessable tokens.",
      hints: [
        "SET key token NX PX ttl takes the lock and gives it a lease in one atomic command.",
        "The token is what proves ownership later: crypto.randomBytes(16) or more, never a counter or the time.",
      ],
    },
    {
      slug: "ownership",
      title: "Ownership",
      summary: "Only the holder can release or extend, atomically, in one round trip; an expired lease cannot come back.",
      hints: [
        "GET then DEL is a race: the key can expire and be taken by someone else between the two. Compare and delete inside one Lua script.",
        "Extending is the same shape: compare the token, then PEXPIRE, in one script. Never re-create a key that is gone.",
      ],
    },
    {
      slug: "expiry",
      title: "Expiry",
      summary: "Leases last exactly ttlMs, extend(ms) sets the remaining lease to ms, expiresAt is conservative.",
      hints: [
        "Use PX (milliseconds), not EX: seconds round a 600 ms lease to a whole second.",
        "expiresAt must be measured from before the command was sent: Redis started the TTL at some point after that, never before.",
      ],
    },
    {
      slug: "fencing",
      title: "Fencing",
      summary: "Fences grow across managers and past expiries; the Postgres store rejects writes with an older fence, atomically.",
      hints: [
        "Keep a counter per resource that never expires, and INCR it in the same script that takes the lock.",
        "The store must compare and write in one statement (INSERT ... ON CONFLICT DO UPDATE ... WHERE old.fence <= new.fence), or lock the row first.",
      ],
    },
    {
      slug: "auto-extend",
      title: "Auto-extend",
      summary: "using() keeps the lease alive while fn runs, aborts fn promptly when the lock is lost, and always releases.",
      hints: [
        "Extend on a timer every ttlMs/3 while fn runs; stop the timer and release in a finally block.",
        "An extension that returns false means someone else holds the lock now: abort the signal and reject at once, without waiting for fn.",
      ],
    },
    {
      slug: "contention",
      title: "Contention",
      summary: "Retries as configured, with jitter; null when the lock stays taken; never a lease that has already run out.",
      ownServer: ["redis"],
      hints: [
        "attempts counts retries after the first try; each wait is delayMs plus a random part of jitterMs.",
        "If the reply to your SET arrives after sentAt + ttlMs, the lease is already over by your clock: give the lock back (compare-and-delete) and treat the try as failed.",
      ],
    },
    {
      slug: "resilience",
      title: "Resilience",
      summary: "Redis stops or hangs while fn runs: fn is aborted by the time the lease runs out, nothing hangs, and locks work again afterwards.",
      faults: ["redis"],
      hints: [
        "A failed extension is not proof that the lock is lost, but the lease is: arm a timer for expiresAt that aborts fn unless an extension was confirmed.",
        "Use the injected client for everything and let it reconnect; ioredis resends a script as EVAL when a restarted Redis answers NOSCRIPT.",
      ],
    },
    {
      slug: "efficiency",
      title: "Efficiency",
      summary: "One round trip per try, release and extend; using() extends at a sensible rate.",
      hints: ["Take the lock and the fence in one script. Extending more often than every ttlMs/5 buys no safety, only load."],
    },
  ],
});
