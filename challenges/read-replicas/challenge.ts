import { defineChallenge } from "../../harness/challenges/define-challenge.ts";

// Every stage pauses replay or stops the replica, so each gets a primary and replica of its own.
const ownPair = ["replicated-postgres"] as const;

export default defineChallenge({
  slug: "read-replicas",
  title: "Read replicas with read-your-writes",
  difficulty: "hard",
  summary: "Offload reads to a lagging streaming replica while every user reads their own writes, never goes back in time, and never waits forever.",
  services: ["replicated-postgres"],
  exports: ["createProfileService"],
  stages: [
    {
      slug: "routing",
      title: "Routing",
      summary: "Writes go to the primary; a viewer with nothing pending reads the replica, stale or not; positions compare as LSNs.",
      faults: [...ownPair],
      hints: [
        "Send every write to the primary pool and every read to the replica pool first; the replica refuses writes anyway.",
        "A replica that lags serves an older snapshot. For a viewer who has written nothing since, that is the accepted price of offloading.",
        "An LSN is two hex numbers: compare pg_last_wal_replay_lsn() >= $1::pg_lsn in SQL, never the strings.",
      ],
    },
    {
      slug: "read-your-writes",
      title: "Read your writes",
      summary: "After a write, the writer's reads wait for the replica up to maxReplicaWaitMs, then use the primary; on time, across instances.",
      faults: [...ownPair],
      hints: [
        "After the write commits, read pg_current_wal_insert_lsn() on the primary and keep it as the writer's position, in a table on the primary so every instance sees it.",
        "The replica is caught up with a viewer when pg_last_wal_replay_lsn() >= the viewer's position. Compare them as pg_lsn in SQL, never as strings.",
      ],
    },
    {
      slug: "monotonic",
      title: "Monotonic reads",
      summary: "A viewer who saw newer data from the primary never sees older data from the replica afterwards.",
      faults: [...ownPair],
      hints: ["A read served by the primary must raise the viewer's position to the primary's WAL position at that read."],
    },
    {
      slug: "offload",
      title: "Offload",
      summary: "Only the viewer with something pending waits; once the replica has caught up, their reads go back to it.",
      faults: [...ownPair],
      hints: [
        "Positions are per viewer: another user's pending write must not send your reads to the primary.",
        "Don't pin a writer to the primary for a fixed time: compare positions on every read.",
      ],
    },
    {
      slug: "failover",
      title: "Failover",
      summary: "A stopped or hung replica: reads fall back to the primary without errors and on time, and return to the replica when it is back.",
      faults: [...ownPair],
      hints: [
        "A replica query that fails (connection refused) means go to the primary now; one that does not answer must be abandoned when the wait runs out (race it against a timer).",
        "Try the replica on every read: no circuit breaker, so reads return to it as soon as it answers.",
      ],
    },
    {
      slug: "efficiency",
      title: "Efficiency",
      summary: "A write costs at most two primary queries; a read at most one query on each server; waiting polls at a sane rate.",
      faults: [...ownPair],
      hints: [
        "Ask the replica for its replay position and the data in one query: SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught_up, ... ",
        "While waiting, re-check every 20–50 ms, not in a tight loop.",
      ],
    },
  ],
});
