import { defineChallenge } from "../../harness/challenges/define-challenge.ts";

export default defineChallenge({
  slug: "idempotency-keys",
  title: "Idempotency keys for a payments API",
  difficulty: "hard",
  summary: "POST /payments on Express and Postgres that charges a provider exactly once per Idempotency-Key, however often, concurrently or crashily the client retries.",
  services: ["postgres"],
  exports: ["createPaymentsApp", "DeclinedError"],
  stages: [
    {
      slug: "api",
      title: "API",
      summary: "A payment is one charge and a 201; headers and bodies are checked before anything is stored.",
      hints: [
        "Check X-User-Id, then Idempotency-Key, then the body, and answer 401/400 before touching Postgres or the provider.",
        "Give the provider an idempotency key of your own making, stored with the key's row, so a retry can send the same one again.",
      ],
    },
    {
      slug: "replay",
      title: "Replay",
      summary: "A retry gets the stored status and body byte for byte, with Idempotent-Replayed: true, from any instance.",
      hints: [
        "Store the response you sent (status and the exact body text) in Postgres, with the key.",
        "jsonb reorders an object's keys and drops whitespace: keep the body as text. Compare requests by their parsed fields, not by the raw body text.",
      ],
    },
    {
      slug: "mismatch",
      title: "Mismatch",
      summary: "The same key with another body is 422 and charges nothing, even while the first request is in flight.",
      hints: ["Store a fingerprint of the request's fields when the key is first claimed, and compare it before anything else."],
    },
    {
      slug: "concurrency",
      title: "Concurrency",
      summary: "A duplicate in flight is 409 at once; 20 identical requests at once make one charge and no 5xx.",
      hints: [
        "SELECT then INSERT is a race. Let the unique key decide: INSERT ... ON CONFLICT, and only the request whose row was written goes on.",
        "Mark the key as locked in a committed row before calling the provider. A duplicate that finds it locked answers 409; it never waits on a row lock.",
      ],
    },
    {
      slug: "scoping",
      title: "Scoping",
      summary: "Keys belong to one user: another user's identical key is another payment with its own charge.",
      hints: [
        "Make the key unique per (user, key), not per key.",
        "The provider de-duplicates by the idempotency key you send it: two users' payments must never send it the same one.",
      ],
    },
    {
      slug: "errors",
      title: "Errors",
      summary: "Validation failures are not stored; a decline (402) is stored and replayed; a provider failure (502) unlocks the key at once.",
      hints: [
        "Only final answers are stored: the 201 and the 402. A 400 never creates a key; a 502 unlocks it.",
        "express.json() answers malformed JSON with an HTML page unless an error-handling middleware turns it into your JSON 400.",
      ],
    },
    {
      slug: "crash-recovery",
      title: "Crash recovery",
      summary: "A retry after a crash completes the payment without a second charge; a dead request's lock is taken over after lockTimeoutMs; a late request cannot overwrite.",
      hints: [
        "The provider de-duplicates by the idempotency key you send: send the same one on every attempt for a key, and a charge that happened before a crash is found again.",
        "A lock older than lockTimeoutMs (by now()) belongs to a request that died: take it over. Give each lock a token, and record only while the token is still yours.",
      ],
    },
    {
      slug: "expiry",
      title: "Expiry",
      summary: "After keyTtlMs a key is a new request; reapExpiredKeys() deletes exactly the expired keys.",
      hints: [
        "Expiry counts from the now() of the key's first request; replays do not extend it.",
        "An expired key is a fresh start: a new fingerprint, a new provider key, a new charge.",
      ],
    },
  ],
});
