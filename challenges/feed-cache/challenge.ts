import { defineChallenge } from "../../harness/challenges/define-challenge.ts";

export default defineChallenge({
  slug: "feed-cache",
  title: "Social feed cache",
  difficulty: "hard",
  summary: "A home feed on Postgres with Redis timelines: fan-out on write, celebrities merged on read, keyset pages, invalidation, no stampedes.",
  services: ["postgres", "redis"],
  exports: ["createFeedService"],
  stages: [
    {
      slug: "timeline",
      title: "Timeline",
      summary: "Users, follows and posts; a home feed with the posts of everyone you follow, newest first, exactly.",
      hints: [
        "Start from Postgres alone: SELECT the posts whose author you follow, ORDER BY created_at DESC, id DESC. Cache later.",
        "createdAt comes from options.now(); store it with millisecond precision (timestamptz keeps microseconds, so milliseconds survive).",
        "Instances that start together run migrate() at the same moment, and CREATE TABLE IF NOT EXISTS collides: take pg_advisory_xact_lock(<a constant>) first, in the migration's transaction.",
      ],
    },
    {
      slug: "pagination",
      title: "Pagination",
      summary: "Opaque keyset cursors: no duplicates or gaps while posts arrive, ties in one millisecond, a null cursor on the last page, bad input rejected.",
      hints: [
        "OFFSET shifts when new posts arrive. Put the position of the last item in the cursor instead: (createdAt, id).",
        "createdAt alone is not a position: many posts share a millisecond. Compare (created_at, id) < ($1, $2) as a row.",
        "Fetch limit + 1 items: if the extra one exists there is a next page, else nextCursor is null.",
      ],
    },
    {
      slug: "fan-out",
      title: "Fan-out",
      summary: "A post is pushed to followers' cached timelines in batched pipelines; a celebrity's post is merged at read time instead.",
      hints: [
        "Send the writes for a batch of followers in one pipeline (or one script), not one await per follower.",
        "Keep a recent-posts list per celebrity and merge the lists of the celebrities a user follows into their page when they read it.",
      ],
    },
    {
      slug: "invalidation",
      title: "Invalidation",
      summary: "Deletes and edits show on the next read everywhere, even against a slow reader; only the author may make them; follow and unfollow change the next page.",
      hints: [
        "A delete must leave every cached copy: the followers' timelines, the celebrity's list, and the cached body (a tombstone stops a slow reader from putting it back).",
        "Cache-aside (delete the key on edit, set it on a miss) lets a reader that loaded the old body before the edit write it back afterwards. Version the body and only ever replace an older version.",
        "After follow or unfollow, the simplest correct move is to drop that user's cached timeline and rebuild it on the next read.",
        "authorId is who is asking: an edit or delete matches the post's id and its author, and touches no cache when nothing matched.",
      ],
    },
    {
      slug: "stampede",
      title: "Stampede",
      summary: "After a flush, 50 concurrent reads rebuild a feed with one query; 100 concurrent reads of an expired post load it once.",
      hints: [
        "Coalesce concurrent rebuilds in the process: keep a map from the key being rebuilt to the promise of its rebuild, and let every reader await the same promise.",
        "Do the same per post id for bodies, and load every missing body of a page in one query.",
      ],
    },
    {
      slug: "resilience",
      title: "Resilience",
      summary: "Redis really stops, hangs and restarts: feeds are served from Postgres meanwhile (within 700 ms a page when it hangs), a slow Redis is still used, and the caches rebuild on their own.",
      faults: ["redis"],
      hints: [
        "Catch every Redis error on the read path and answer the page from Postgres. The injected client fails at once while Redis is down.",
        "A restarted Redis is empty (no keys, no scripts): treat that as a miss and rebuild.",
        "A hung Redis never answers, and ioredis never gives up: race each Redis call against a timer of about 400 ms and treat the timeout like any other Redis error. Not much shorter: a 250 ms stall must be waited for.",
      ],
    },
    {
      slug: "efficiency",
      title: "Efficiency",
      summary: "A cached page is no SQL and at most three Redis round trips; missing bodies load in one query; rebuilds use indexes; every key is bounded.",
      hints: [
        "Read the timeline and every followed celebrity's list in one round trip (one Lua script, or one pipeline), then every body with one MGET.",
        "Index posts on (author_id, created_at DESC, id DESC), and follows on both directions.",
        "Give every key a TTL, and trim timelines to timelineMaxLen.",
        "Bodies can be missing from a cached timeline too (expired): collect the ids whose body is missing and load them in one query, as after a flush.",
      ],
    },
  ],
});
