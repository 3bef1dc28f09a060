import { defineChallenge } from "../../harness/challenges/define-challenge.ts";

export default defineChallenge({
  slug: "bank-transfers",
  title: "Bank transfers under concurrency",
  difficulty: "hard",
  summary: "Transfers and withdrawals that keep a bank's invariants on Postgres under forced races: lost updates, write skew, deadlocks, retries of 40001/40P01.",
  services: ["postgres"],
  exports: ["createBank", "UnknownAccountError", "RetriesExhaustedError"],
  stages: [
    {
      slug: "basics",
      title: "Basics",
      summary: "Accounts, transfers and withdrawals with exact bigint cents, validation, the given isolation level, no CHECK constraints.",
      hints: [
        "pg returns bigint columns as strings: BigInt(row.balance), and pass amounts as strings or bigints, never Number.",
        "Open every transaction with BEGIN ISOLATION LEVEL <options.isolation>.",
      ],
    },
    {
      slug: "lost-update",
      title: "Lost update",
      summary: "Concurrent debits of one account: exactly the ones the balance covers succeed, at READ COMMITTED and REPEATABLE READ.",
      hints: [
        "Reading a balance, then writing balance - cents computed in JavaScript, lets every reader write over the others. Lock the row first (SELECT ... FOR UPDATE).",
        "Under REPEATABLE READ, a transaction that waited for a row someone else changed fails with 40001: run it again from BEGIN.",
      ],
    },
    {
      slug: "write-skew",
      title: "Write skew",
      summary: "Two debits of different accounts of one owner, at once: the owner's total never goes below zero.",
      hints: [
        "Each transaction reads both accounts but writes only one: no row conflict, so REPEATABLE READ lets both commit.",
        "Lock every account of the owner (SELECT ... WHERE owner = $1 FOR UPDATE) before reading the total.",
      ],
    },
    {
      slug: "deadlocks",
      title: "Deadlocks",
      summary: "Opposite transfers at once never deadlock: Postgres' deadlock counter does not grow.",
      hints: ["Lock rows in one global order (by account id), in one statement: SELECT ... ORDER BY id FOR UPDATE."],
    },
    {
      slug: "retries",
      title: "Retries",
      summary: "40001 and 40P01 re-run the whole transaction up to maxRetries times, then RetriesExhaustedError; other errors are not retried; connections go back clean.",
      hints: [
        "After an error the transaction is aborted: ROLLBACK, then start again with a new BEGIN and fresh reads.",
        "maxRetries counts runs after the first one. Anything other than 40001/40P01 is rethrown at once.",
      ],
    },
    {
      slug: "invariants",
      title: "Invariants",
      summary: "Six banks at three levels run seeded random transfers and withdrawals at once: every balances() sums to the total, no owner below zero, every \"ok\" applied once; balances() is one snapshot; SERIALIZABLE next to READ COMMITTED keeps the owner's total.",
      hints: [
        "Credit with balance = balance + cents (or lock the credited row too): a credited balance computed in JavaScript from an unlocked read loses concurrent credits.",
        "balances() in one statement sees one snapshot; several statements at READ COMMITTED each see a different one.",
        "SERIALIZABLE catches anomalies only among SERIALIZABLE transactions: take the same locks at every level.",
      ],
    },
    {
      slug: "efficiency",
      title: "Efficiency",
      summary: "At most 6 queries per transfer or withdrawal (BEGIN and COMMIT included) and 3 per balances(), whatever the owner holds; no whole-table scan on 2,000 accounts.",
      hints: [
        "Lock the debited owner's accounts and the credited one in one SELECT ... FOR UPDATE, and apply both changes in one UPDATE.",
        "Index every column you look accounts up by: the primary key, and the owner.",
      ],
    },
  ],
});
