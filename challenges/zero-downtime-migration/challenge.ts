import { defineChallenge } from "../../harness/challenges/define-challenge.ts";

export default defineChallenge({
  slug: "zero-downtime-migration",
  title: "Zero-downtime schema migration",
  difficulty: "hard",
  summary: "Rename a column and make email NOT NULL and UNIQUE on a live Postgres table (expand, backfill, contract) with zero failed requests and no long locks.",
  services: ["postgres"],
  exports: ["createPlan", "runStep", "backfill", "createAppV1", "createAppV2", "LockTimeoutError", "EmailTakenError"],
  stages: [
    {
      slug: "expand",
      title: "Expand",
      summary: "The old app keeps working through expand and after it; no table rewrite; expand can run twice.",
      hints: [
        "Never rename in place: add full_name next to name, and keep name until contract.",
        "ADD COLUMN without a volatile default is a catalog change; ALTER COLUMN ... TYPE rewrites the whole table. Write every step so that running it again is harmless (IF NOT EXISTS, DROP ... IF EXISTS first).",
      ],
    },
    {
      slug: "locks",
      title: "Locks",
      summary: "Each attempt waits at most lockTimeoutMs for its lock, retries after retryDelayMs, gives up with LockTimeoutError; app queries never queue behind a waiting DDL.",
      hints: [
        "A DDL waiting for its ACCESS EXCLUSIVE lock makes every later query on the table wait behind it. SET lock_timeout on the connection that runs the step (SET LOCAL inside the transaction).",
        "Retry only SQLSTATE 55P03 (lock_not_available), exactly `retries` more times, waiting retryDelayMs between attempts. Any other error is a bug in the step: throw it as it is.",
      ],
    },
    {
      slug: "indexes",
      title: "Indexes",
      summary: "The unique index on email is built CONCURRENTLY, is valid at the end, and an INVALID leftover from a failed build is rebuilt.",
      hints: [
        "CREATE UNIQUE INDEX CONCURRENTLY cannot run in a transaction: make it a step of its own with transactional: false.",
        "A concurrent build that fails leaves an INVALID index behind, and IF NOT EXISTS skips it. Look in pg_index.indisvalid; DROP INDEX CONCURRENTLY an invalid one before building again.",
      ],
    },
    {
      slug: "constraints",
      title: "Constraints",
      summary: "Constraints are added NOT VALID and validated in a step of their own; SET NOT NULL only after a validated CHECK.",
      hints: [
        "ADD CONSTRAINT ... CHECK (email IS NOT NULL) NOT VALID takes its lock for a moment; VALIDATE CONSTRAINT scans the table under a lock that lets reads and writes through.",
        "SET NOT NULL scans the table under ACCESS EXCLUSIVE, unless a validated CHECK (col IS NOT NULL) already proves it (Postgres 12+).",
      ],
    },
    {
      slug: "dual-versions",
      title: "Two versions",
      summary: "v1 and v2 run side by side and each sees the other's writes at once; a taken email is EmailTakenError in both.",
      hints: [
        "v1 writes name, v2 writes full_name. Something must copy each write to the other column: a trigger, or the apps writing both.",
        "A unique violation is SQLSTATE 23505: turn it into EmailTakenError.",
      ],
    },
    {
      slug: "backfill",
      title: "Backfill",
      summary: "Batches of at most batchSize rows, each its own transaction; resumes after a kill without rewriting done rows; never overwrites a newer name.",
      hints: [
        "One UPDATE of the whole table holds every row lock until it commits, and starts over if it dies. Walk the primary key in batches, one statement per batch.",
        "Only fill rows whose full_name is still NULL, in the same statement that writes them: a name you read earlier may be stale by the time you write it.",
      ],
    },
    {
      slug: "contract",
      title: "Contract",
      summary: "With only v2 left, contract drops name and makes full_name and email NOT NULL while v2 serves traffic without an error.",
      hints: [
        "Drop whatever still mentions name (the trigger and its function) in the same transaction as the column.",
        "NOT NULL the safe way: CHECK ... NOT VALID, VALIDATE, SET NOT NULL, then drop the CHECK.",
      ],
    },
  ],
});
