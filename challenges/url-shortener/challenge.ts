import { defineChallenge } from "../../harness/challenges/define-challenge.ts";

export default defineChallenge({
  slug: "url-shortener",
  title: "URL shortener",
  difficulty: "medium",
  summary: "An Express service on Postgres with a Redis read-through cache: exact redirects, click counts, expiry, and no SQL on a cached redirect.",
  services: ["postgres", "redis"],
  exports: ["migrate", "createApp"],
  stages: [
    {
      slug: "api",
      title: "API",
      summary: "Create links, redirect, read stats; random 7-character codes; an idempotent migration.",
      hints: [
        "Start with one table keyed by the code, and let the primary key be the code itself.",
        "Build the whole response from what Postgres returned (RETURNING), so createdAt is the stored value.",
        "Codes come from crypto.randomInt over all 62 characters, one call per character.",
      ],
    },
    {
      slug: "validation",
      title: "Validation",
      summary: "Every bad request is a 400 (or 409) with a JSON error body, never a 500.",
      hints: [
        "Add an error-handling middleware (four arguments) for express.json()'s parse errors; without it Express answers malformed JSON with an HTML page.",
        "new URL() accepts javascript:, strips tabs and newlines, and lowercases the scheme: check the raw string, and use the parsed URL only to read the host.",
        "The :code in a path is client input as much as the body is: anything that cannot be a code is 404 before Redis or Postgres see it (Postgres refuses a NUL byte).",
      ],
    },
    {
      slug: "redirects",
      title: "Redirects",
      summary: "302 to the exact stored URL, not cacheable by browsers; clicks counted; expiry is 410, delete is 404.",
      hints: [
        "res.redirect() and res.location() percent-encode some characters. Set the Location header yourself.",
        "A 301, or a 302 without Cache-Control, can be cached by the browser, and then the next click never reaches you.",
      ],
    },
    {
      slug: "concurrency",
      title: "Concurrency",
      summary: "One winner per alias, retried collisions that never touch the existing link, and no lost clicks.",
      hints: [
        "SELECT then INSERT is a race. Let the unique key decide: INSERT ... ON CONFLICT (code) DO NOTHING RETURNING ...",
        "Never read a counter, add one and write it back. Let the store add: UPDATE ... SET clicks = clicks + 1, or INCR.",
      ],
    },
    {
      slug: "caching",
      title: "Caching",
      summary: "No SQL for a cached redirect, and the cache is never stale: expiry, delete and create all show on the next request.",
      hints: [
        "Cache the link under its code with a TTL no longer than the time left before it expires.",
        "On a cached redirect, count the click in Redis too (INCR), and add that counter to Postgres' count when someone reads the stats.",
        "If you cache 'unknown', a create must overwrite that entry; a delete must replace the cached link before it answers 204.",
        "A redirect that read Postgres before a delete can cache the link after it. Let the delete write a tombstone (not DEL), and fill on a miss with SET ... NX, so the tombstone wins.",
      ],
    },
    {
      slug: "resilience",
      title: "Resilience",
      summary: "Redis really stops and restarts: redirects keep working from Postgres, and the cache comes back on its own.",
      faults: ["redis"],
      hints: [
        "Wrap every Redis call in the redirect path: on error, fall back to Postgres. The injected client fails fast while Redis is down and reconnects by itself.",
      ],
    },
    {
      slug: "efficiency",
      title: "Efficiency",
      summary: "An uncached redirect is one indexed query; a cached one is no SQL and at most two Redis round trips.",
      hints: [
        "Look links up by a column with a unique index (the primary key), with exactly the value from the path.",
        "Read the cached link and count the click in one round trip: a pipeline, MULTI/EXEC or one Lua script.",
      ],
    },
  ],
});
