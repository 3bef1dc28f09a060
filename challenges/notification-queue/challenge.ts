import { defineChallenge } from "../../harness/challenges/define-challenge.ts";

export default defineChallenge({
  slug: "notification-queue",
  title: "Notification queue",
  difficulty: "hard",
  summary: "A durable queue and worker pool: fan-out to channels, exponential backoff, dead letters, idempotency, preferences, exactly-once claims and crash recovery.",
  services: ["postgres", "redis"],
  exports: ["createNotificationService", "PermanentError"],
  stages: [
    {
      slug: "fan-out",
      title: "Fan-out",
      summary: "One delivery per channel, sent once by a worker, with the notification's fields; an idempotent migration.",
      hints: [
        "Store the notification and one delivery row per channel in one transaction, then let the worker claim due deliveries.",
        "The worker hands each provider { deliveryId, notificationId, userId, channel, type, payload } and records sent when send() resolves.",
      ],
    },
    {
      slug: "retries",
      title: "Retries",
      summary: "A failed channel is retried alone, with the same deliveryId, after min(maxMs, baseMs * 2^(n-1)), never early.",
      hints: [
        "Keep a due time on each delivery: on failure set it to now + the backoff, and claim only deliveries that are due.",
        "An idle worker must wake up when the next retry is due: sleep until the earliest due time, not a fixed interval.",
      ],
    },
    {
      slug: "dead-letters",
      title: "Dead letters",
      summary: "After maxAttempts, or at once on PermanentError, a delivery is dead with its last error; retryDeadLetter gives one more attempt.",
      hints: [
        "Check error instanceof PermanentError (the class your module exports) before scheduling a retry.",
        "retryDeadLetter allows exactly one more attempt: remember a per-delivery attempt limit, or compare with attempts at the time of the retry.",
      ],
    },
    {
      slug: "idempotency",
      title: "Idempotency",
      summary: "20 concurrent enqueues of one key: one notification, one send per channel; the key is accepted again after dedupWindowMs.",
      hints: [
        "Looking the key up and then inserting is a race. Let one atomic write decide: INSERT ... ON CONFLICT, or SET key value NX PX window.",
      ],
    },
    {
      slug: "preferences",
      title: "Preferences",
      summary: "type+channel beats type beats channel beats the user's default beats enabled; critical bypasses them; checked at delivery time.",
      hints: [
        "Look preferences up when the worker claims the delivery, not when the notification is enqueued.",
        "Pick the most specific preference that exists: (type, channel), then (type), then (channel), then (neither).",
      ],
    },
    {
      slug: "concurrency",
      title: "Concurrency",
      summary: "Three services with concurrent workers: 500 deliveries, each sent exactly once.",
      hints: [
        "SELECT then UPDATE lets two workers claim the same row. Claim in one statement: UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING, or a Lua script.",
      ],
    },
    {
      slug: "crash-recovery",
      title: "Crash recovery",
      summary: "A SIGKILLed worker's delivery is sent by another after leaseMs; a stale late result changes nothing; graceful stop loses nothing.",
      hints: [
        "A claim is a lease: it expires. Claim deliveries whose lease ran out as if they were due.",
        "Give each claim a token (a counter) and record the result only if the token is still the current one (UPDATE ... WHERE lease_token = $n).",
        "stop() stops claiming at once, then waits for the sends already started and for their results to be stored.",
      ],
    },
    {
      slug: "efficiency",
      title: "Efficiency",
      summary: "A batch is claimed in one statement or round trip; an idle worker does not busy-poll, yet picks new work up within a second.",
      hints: [
        "Claim up to `concurrency` deliveries at once: one UPDATE ... RETURNING (or one Lua script), with preferences joined in.",
        "LISTEN on a dedicated connection and NOTIFY when you enqueue; between notifications, sleep until the next due time.",
      ],
    },
  ],
});
