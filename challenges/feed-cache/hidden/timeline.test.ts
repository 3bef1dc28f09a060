import { expect } from "vitest";
import { graded, withConcurrency } from "../../../harness/testing/index.ts";
import { holdCatalogWrites } from "./catalog-hold.ts";
import { describePosts, expectFeed, readAll, seeded, startFeed, TestClock, World } from "./feed.ts";

/** Instances that start together, as a deploy starts them. */
const racingInstances = 4;

graded(
  "timeline.posts-of-followees",
  {
    points: 4,
    timeoutMs: 8000,
    hint: "The home feed holds the posts of the users someone follows (not their own, not strangers'), newest first, with createdAt from options.now().",
  },
  async (t) => {
    const clock = new TestClock();
    const instance = await startFeed(t, { clock });
    await instance.feed.migrate(); // a second run must be harmless
    const world = new World(instance, clock);
    await world.users("alice", "bob", "carol", "dave");
    await world.follow("alice", "bob");
    await world.follow("alice", "carol");
    await world.follow("bob", "dave");
    for (const [author, body] of [["bob", "hello from bob"], ["carol", "carol here"], ["dave", "dave's first"], ["alice", "alice talks"], ["bob", "bob again"], ["carol", "carol, later"]] as const) {
      clock.tick(7);
      await world.post(author, body);
    }
    const page = await instance.feed.getHomeFeed("alice", { limit: 10 });
    expect(page?.nextCursor, `getHomeFeed("alice", { limit: 10 }) with 4 posts in her feed: nextCursor (got items ${describePosts(page?.items ?? [])})`).toBeNull();
    expectFeed(page.items, world.expected("alice"), 'getHomeFeed("alice", { limit: 10 }) after alice followed bob and carol');
    expectFeed((await instance.feed.getHomeFeed("bob", { limit: 10 })).items, world.expected("bob"), 'getHomeFeed("bob", { limit: 10 }) after bob followed dave');
    const empty = await instance.feed.getHomeFeed("dave", { limit: 10 });
    expect(empty, 'getHomeFeed("dave", { limit: 10 }): dave follows nobody').toEqual({ items: [], nextCursor: null });
  },
);

graded(
  "timeline.matches-oracle",
  {
    points: 6,
    timeoutMs: 20_000,
    hint: "Every page, concatenated, must equal the posts of the user's followees ordered by (createdAt desc, id desc): cached pages, deeper pages from Postgres, celebrities merged in, and after follows change.",
  },
  async (t) => {
    const random = seeded(7);
    const clock = new TestClock();
    const instance = await startFeed(t, { clock, celebrityThreshold: 6, timelineMaxLen: 15, pageMax: 20 });
    const world = new World(instance, clock);
    const users = Array.from({ length: 24 }, (_, i) => `u${i}`);
    await world.users(...users);
    const celebrities = ["u0", "u1", "u2"];
    for (const [i, celebrity] of celebrities.entries()) {
      const fans = users.slice(3 + i, 3 + i + 8 + 2 * i);
      await withConcurrency(fans.length, 8, (k) => world.follow(fans[k]!, celebrity));
    }
    for (const user of users.slice(3)) {
      for (let k = 0; k < 3; k++) {
        const followee = users[3 + Math.floor(random() * 21)]!;
        if (followee !== user && !world.follows.get(user)?.has(followee)) await world.follow(user, followee);
      }
    }
    const readers = ["u3", "u5", "u8", "u20"];
    for (let i = 0; i < 100; i++) {
      clock.tick(Math.floor(random() * 3)); // 0, 1 or 2 ms: some posts share a millisecond
      const author = random() < 0.3 ? celebrities[i % 3]! : users[3 + Math.floor(random() * 21)]!;
      await world.post(author, `post ${i} by ${author}`);
      if (i === 60) for (const reader of readers) await readAll(instance, reader, 7); // caches fill midway
      if (i === 80) {
        // The graph changes after posts exist: a follow, an unfollow, and u10 crossing the celebrity threshold.
        await world.follow("u3", "u4");
        const dropped = [...(world.follows.get("u5") ?? [])][0];
        if (dropped) await world.unfollow("u5", dropped);
        for (const fan of users.slice(14, 20)) if (!world.follows.get(fan)?.has("u10") && fan !== "u10") await world.follow(fan, "u10");
        await world.follow("u8", "u10");
      }
    }
    for (const reader of readers) {
      for (const [limit, round] of [[7, "first read"], [20, "second read"]] as const) {
        const { items } = await readAll(instance, reader, limit);
        expectFeed(items, world.expected(reader), `${reader}'s feed, all pages with limit ${limit} (${round}; 24 users, celebrityThreshold 6, timelineMaxLen 15)`);
      }
    }
  },
);

graded(
  "timeline.concurrent-migrate",
  {
    points: 3,
    timeoutMs: 15_000,
    hint: "CREATE TABLE IF NOT EXISTS is safe one call at a time only: two sessions that both find no table both create it, and the second to commit fails. Serialize migrate() across processes, e.g. BEGIN; SELECT pg_advisory_xact_lock(<a constant>); then the DDL; COMMIT.",
  },
  async (t) => {
    const clock = new TestClock();
    const instances = await Promise.all(Array.from({ length: racingInstances }, () => startFeed(t, { clock, migrate: false })));
    const hold = await holdCatalogWrites(t, t.postgres());
    if ("unsupported" in hold) return t.vitest.skip(hold.unsupported);
    const migrations = instances.map((instance) => Promise.resolve().then(() => instance.feed.migrate()));
    for (const migration of migrations) migration.catch(() => {});
    // Every call is past its own checks and waits on Postgres; then all go at once. (A design that waits
    // some other way gets a bounded wait here, and is graded the same.)
    await hold.untilWaiting(instances.length, 5000);
    await hold.release();
    const results = await Promise.allSettled(migrations);
    const failures = results.flatMap((result, i) => (result.status === "rejected" ? [{ i, reason: result.reason as Error }] : []));
    const notImplemented = failures.find(({ reason }) => reason?.name === "NotImplementedError");
    if (notImplemented) throw notImplemented.reason;
    expect(
      failures.map(({ i, reason }) => `instance ${i + 1}: ${reason?.name ?? "Error"}: ${reason?.message ?? String(reason)}`),
      `migrate() called by ${instances.length} instances at the same moment on an empty database: calls that rejected`,
    ).toEqual([]);

    const [one, two, three, four] = instances as [typeof instances[0], typeof instances[0], typeof instances[0], typeof instances[0]];
    const world = new World(one, clock);
    await world.users("ada", "grace", "linus");
    await world.follow("ada", "grace", two);
    await world.follow("ada", "linus", three);
    for (const [author, via] of [["grace", four], ["linus", two], ["grace", three]] as const) {
      clock.tick(5);
      await world.post(author, `${author} after a concurrent start`, via);
    }
    for (const [i, instance] of instances.entries()) {
      expectFeed((await instance.feed.getHomeFeed("ada", { limit: 10 })).items, world.expected("ada"), `ada's feed read on instance ${i + 1} after ${instances.length} concurrent migrate() calls`);
    }
  },
);
