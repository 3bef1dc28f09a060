import { expect } from "vitest";
import { eventually, gatePool, graded } from "../../../harness/testing/index.ts";
import { describePost, expectFeed, readAll, startFeed, TestClock, World } from "./feed.ts";

graded(
  "invalidation.delete-everywhere",
  {
    points: 4,
    timeoutMs: 12_000,
    hint: "A delete must reach every cached copy before it returns: the followers' timelines, the celebrity's list and the cached body. And a page must still be full: fetch past deleted entries, never return a short page.",
  },
  async (t) => {
    const clock = new TestClock();
    const one = await startFeed(t, { clock, celebrityThreshold: 5, timelineMaxLen: 30 });
    const two = await startFeed(t, { clock, celebrityThreshold: 5, timelineMaxLen: 30, migrate: false });
    const world = new World(one, clock);
    const readers = ["r0", "r1", "r2", "r3", "r4", "r5"];
    await world.users("plain", "star", ...readers);
    for (const reader of readers) await world.follow(reader, "star");
    for (const reader of readers.slice(0, 3)) await world.follow(reader, "plain");
    const posts = [];
    for (let i = 0; i < 24; i++) {
      clock.tick(3);
      posts.push(await world.post(i % 2 ? "star" : "plain", `post ${i}`));
    }
    for (const reader of readers) await readAll(one, reader, 5); // cached on instance one
    const doomed = [posts[22]!, posts[23]!, posts[10]!, posts[13]!]; // the two newest (plain, star) and two deeper ones
    for (const post of doomed) await world.remove(post.authorId, post.id, two);
    for (const reader of readers) {
      const page = await one.feed.getHomeFeed(reader, { limit: 5 });
      expect(page.items.length, `${reader}'s first page (limit 5) on instance one, after instance two deleted ${doomed.map(describePost).join(", ")}: a page stays full while posts remain`).toBe(5);
      expectFeed(page.items, world.expected(reader).slice(0, 5), `${reader}'s first page on instance one right after the deletes on instance two`);
      if (reader === "r0" || reader === "r5") expectFeed((await readAll(one, reader, 5)).items, world.expected(reader), `${reader}'s whole feed (limit 5) on instance one after the deletes`);
    }
  },
);

graded(
  "invalidation.edit-visible",
  {
    points: 3,
    timeoutMs: 12_000,
    hint: "After the UPDATE, replace the cached body (or remove it) before editPost returns; every instance reads the same Redis. The post keeps its id and createdAt.",
  },
  async (t) => {
    const clock = new TestClock();
    const one = await startFeed(t, { clock, celebrityThreshold: 4 });
    const two = await startFeed(t, { clock, celebrityThreshold: 4, migrate: false });
    const world = new World(one, clock);
    const readers = ["r0", "r1", "r2", "r3", "r4"];
    await world.users("plain", "star", ...readers);
    for (const reader of readers) {
      await world.follow(reader, "star");
      await world.follow(reader, "plain");
    }
    const posts = [];
    for (let i = 0; i < 6; i++) {
      clock.tick(3);
      posts.push(await world.post(i % 2 ? "star" : "plain", `original ${i}`));
    }
    for (const reader of readers) await one.feed.getHomeFeed(reader, { limit: 10 });
    await world.edit("plain", posts[4]!.id, "edited by plain", two);
    await world.edit("star", posts[3]!.id, "edited by star", two);
    for (const reader of readers) {
      for (const [name, instance] of [["one", one], ["two", two]] as const) {
        expectFeed((await instance.feed.getHomeFeed(reader, { limit: 10 })).items, world.expected(reader), `${reader}'s feed on instance ${name} right after two edits on instance two`);
      }
    }
  },
);

graded(
  "invalidation.edit-races-slow-reader",
  {
    points: 4,
    timeoutMs: 12_000,
    hint: "A reader loaded the old body from Postgres, the edit then deleted the cached body, and the reader cached what it had loaded: the old version is back. Version the cached body and never replace a newer version (or write a tombstone that outlives slow readers).",
  },
  async (t) => {
    const clock = new TestClock();
    const fast = await startFeed(t, { clock });
    const gatedPool = t.postgres();
    const gate = gatePool(gatedPool);
    const slow = await startFeed(t, { clock, migrate: false, pool: gatedPool });
    const world = new World(fast, clock);
    await world.users("author", "reader");
    await world.follow("reader", "author");
    const posts = [];
    for (let i = 0; i < 5; i++) {
      clock.tick(3);
      posts.push(await world.post("author", `version 1 of post ${i}`));
    }
    const target = posts[4]!;
    await (await t.redis()).flushdb(); // nothing cached: the slow reader must go to Postgres

    gate.close();
    const slowRead = slow.feed.getHomeFeed("reader", { limit: 10 });
    slowRead.catch(() => {});
    await eventually(async () => expect(gate.held, "queries the slow reader sent to Postgres (its results are held back)").toBeGreaterThan(0), { timeoutMs: 3000 });
    await world.edit("author", target.id, "version 2, edited while a reader was slow", fast);
    gate.open();
    await slowRead; // it started before the edit: either body is fine for this one read

    for (const [name, instance] of [["the slow reader's instance", slow], ["the editor's instance", fast]] as const) {
      for (let round = 1; round <= 2; round++) {
        const page = await instance.feed.getHomeFeed("reader", { limit: 10 });
        const seen = page.items.find((item) => item.id === target.id);
        expect(seen?.body, `body of ${target.id} read on ${name} (read ${round}) after editPost returned and the slow read (which loaded version 1 before the edit) finished`).toBe("version 2, edited while a reader was slow");
        expectFeed(page.items, world.expected("reader"), `reader's feed on ${name} after the edit`);
      }
    }
  },
);

graded(
  "invalidation.follow-unfollow",
  {
    points: 3,
    timeoutMs: 12_000,
    hint: "After follow or unfollow, the user's cached timeline no longer matches: drop it and rebuild on the next read (or add and remove that author's recent posts).",
  },
  async (t) => {
    const clock = new TestClock();
    const instance = await startFeed(t, { clock, celebrityThreshold: 3, timelineMaxLen: 20 });
    const world = new World(instance, clock);
    await world.users("reader", "kept", "dropped", "added", "star", "fan1", "fan2");
    for (const fan of ["fan1", "fan2", "reader"]) await world.follow(fan, "star");
    await world.follow("reader", "kept");
    await world.follow("reader", "dropped");
    for (let i = 0; i < 24; i++) {
      clock.tick(2);
      await world.post(["kept", "dropped", "added", "star"][i % 4]!, `post ${i}`);
    }
    await readAll(instance, "reader", 6);
    await world.unfollow("reader", "dropped");
    expectFeed((await readAll(instance, "reader", 6)).items, world.expected("reader"), 'reader\'s feed right after unfollow("reader", "dropped")');
    await world.follow("reader", "added");
    expectFeed((await readAll(instance, "reader", 6)).items, world.expected("reader"), 'reader\'s feed right after follow("reader", "added"), who posted before');
    await world.unfollow("reader", "star");
    expectFeed((await readAll(instance, "reader", 6)).items, world.expected("reader"), 'reader\'s feed right after unfollow("reader", "star"), a celebrity');
  },
);

graded(
  "invalidation.only-the-author",
  {
    points: 2,
    timeoutMs: 12_000,
    hint: "authorId is the caller's identity: an edit or delete must match both the post id and its author (WHERE id = $1 AND author_id = $2), and touch no cache when nothing matched.",
  },
  async (t) => {
    const clock = new TestClock();
    const one = await startFeed(t, { clock, celebrityThreshold: 3 });
    const two = await startFeed(t, { clock, celebrityThreshold: 3, migrate: false });
    const world = new World(one, clock);
    const readers = ["r0", "r1", "r2"];
    await world.users("plain", "star", "mallory", ...readers);
    for (const reader of readers) await world.follow(reader, "star");
    await world.follow("r0", "plain");
    await world.follow("mallory", "plain");
    clock.tick(3);
    const plainPost = await world.post("plain", "plain's own words");
    clock.tick(3);
    const starPost = await world.post("star", "star's own words");
    clock.tick(3);
    await world.post("mallory", "mallory's post");
    for (const reader of [...readers, "mallory"]) await one.feed.getHomeFeed(reader, { limit: 10 }); // cached
    for (const post of [plainPost, starPost]) {
      const what = `post ${describePost(post)} by ${post.authorId}`;
      await expect(two.feed.editPost("mallory", post.id, "mallory was here"), `editPost("mallory", …) of ${what}`).rejects.toBeDefined();
      await expect(two.feed.deletePost("mallory", post.id), `deletePost("mallory", …) of ${what}`).rejects.toBeDefined();
    }
    for (const reader of [...readers, "mallory"]) {
      for (const [name, instance] of [["one", one], ["two", two]] as const) {
        expectFeed((await instance.feed.getHomeFeed(reader, { limit: 10 })).items, world.expected(reader), `${reader}'s feed on instance ${name} after mallory tried to edit and delete other authors' posts`);
      }
    }
    // The author still can.
    await world.edit("plain", plainPost.id, "plain, edited", two);
    await world.remove("star", starPost.id, two);
    for (const reader of readers) expectFeed((await one.feed.getHomeFeed(reader, { limit: 10 })).items, world.expected(reader), `${reader}'s feed after the authors' own edit and delete`);
  },
);
