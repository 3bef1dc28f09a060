import { defineChallenge } from "../../harness/challenges/define-challenge.ts";

export default defineChallenge({
  slug: "query-tuning",
  title: "Query tuning on Postgres",
  difficulty: "medium",
  summary: "An orders service over a seeded shop database, graded by what Postgres does: queries per page, plan shapes, buffers read, keyset pages, index hygiene.",
  services: ["postgres"],
  exports: ["createOrdersService"],
  stages: [
    {
      slug: "correctness",
      title: "Correctness",
      summary: "Pages, lines, the case-insensitive email lookup and the product ranking match the data exactly.",
      hints: [
        "Order by created_at DESC, id DESC: created_at alone is not unique, so the order (and your pages) would not be either.",
        "Fetch limit + 1 rows: the extra row tells you whether a next page exists, without counting.",
      ],
    },
    {
      slug: "n-plus-one",
      title: "N+1",
      summary: "A page costs at most 3 queries whatever its limit; each lookup and the ranking cost one.",
      hints: [
        "Fetch the page's orders, then all their lines in one query: WHERE order_id = ANY($1).",
        "Or build the lines inside the orders query: a LATERAL subquery with json_agg.",
      ],
    },
    {
      slug: "indexes",
      title: "Indexes",
      summary: "No sequential scan of a big table and no sort of a user's orders; the email lookup uses an index.",
      hints: [
        "An index on (user_id, created_at, id) hands the rows over in page order, so LIMIT stops after limit + 1 rows.",
        "order_lines needs an index on order_id. lower(email) = lower($1) can use an expression index on lower(email); ILIKE cannot use a plain btree.",
      ],
    },
    {
      slug: "pagination",
      title: "Keyset pagination",
      summary: "A deep page reads about what the first page reads; shared timestamps and inserts between pages cause no gaps or duplicates.",
      hints: [
        "OFFSET 2500 makes Postgres read and throw away 2,500 rows. Put the last row's position in the cursor and ask for rows after it.",
        "The position must be unique: (created_at, id). WHERE (created_at, id) < ($1, $2) matches the index order exactly.",
      ],
    },
    {
      slug: "filters",
      title: "Filters",
      summary: "A page of a rare status reads about what an unfiltered page reads, and is never sorted.",
      hints: [
        "Walking the (user_id, created_at, id) index and throwing away 19 closed orders for every open one reads 20 times too much.",
        "Put status in the index after user_id, or add a partial index WHERE status = 'open'.",
      ],
    },
    {
      slug: "aggregates",
      title: "Aggregates",
      summary: "The ranking of a recent window reads only that window's orders and lines, and sees new orders at once.",
      hints: [
        "An index on orders(created_at) finds the window; the lines index you already have joins its lines.",
        "Caching the ranking in memory makes it stale: the grader inserts an order and asks again.",
      ],
    },
    {
      slug: "hygiene",
      title: "Hygiene",
      summary: "No COUNT to know whether more pages exist; no duplicate or redundant indexes; migrate() is idempotent.",
      hints: [
        "Fetch limit + 1 rows instead of counting: the extra row is the answer.",
        "An index on (user_id) is redundant next to one on (user_id, created_at, id): every lookup it serves, the longer one serves too.",
      ],
    },
  ],
});
