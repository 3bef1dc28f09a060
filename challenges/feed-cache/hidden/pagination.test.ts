import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { describePosts, expectFeed, readAll, startFeed, TestClock, World } from "./feed.ts";

/** Rejects with a TypeError or RangeError (anything else, or a resolved page, fails). */
async function expectRejected(call: () => Promise<unknown>, what: string): Promise<void> {
  let outcome: string;
  try {
    const value = await call();
    outcome = `resolved with ${JSON.stringify(value)?.slice(0, 160)}`;
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) return;
    outcome = `rejected with ${(error as Error)?.name ?? typeof error}: ${(error as Error)?.message ?? String(error)}`;
  }
  expect.fail(`${what}: expected a rejection with a TypeError or RangeError, but it ${outcome}`);
}

graded(
  "pagination.new-posts-between-pages",
  {
    points: 3,
    timeoutMs: 8000,
    hint: "An offset shifts when new posts arrive at the top. Put the position of the last item you returned, (createdAt, id), in the cursor, and continue strictly after it.",
  },
  async (t) => {
    const clock = new TestClock();
    const instance = await startFeed(t, { clock, timelineMaxLen: 20 });
    const world = new World(instance, clock);
    await world.users("reader", "author", "other");
    await world.follow("reader", "author");
    await world.follow("reader", "other");
    for (let i = 0; i < 30; i++) {
      clock.tick(5);
      await world.post(i % 3 === 0 ? "other" : "author", `old ${i}`);
    }
    const before = world.expected("reader");
    const first = await instance.feed.getHomeFeed("reader", { limit: 10 });
    for (let i = 0; i < 5; i++) {
      clock.tick(5);
      await world.post("author", `new ${i}`);
    }
    const items = [...first.items];
    let cursor = first.nextCursor;
    for (let pages = 1; cursor !== null && pages < 20; pages++) {
      const page = await instance.feed.getHomeFeed("reader", { limit: 10, cursor });
      items.push(...page.items);
      cursor = page.nextCursor;
    }
    expectFeed(items, before, "reader's feed: page 1 (limit 10), then 5 new posts, then the following pages");
    expectFeed((await readAll(instance, "reader", 10)).items, world.expected("reader"), "reader's feed read again from the first page, with the 5 new posts");
  },
);

graded(
  "pagination.same-millisecond",
  {
    points: 3,
    timeoutMs: 8000,
    hint: "createdAt alone is not a position: 25 posts share one millisecond here. Break ties with the id, in the cursor and in the query: (created_at, id) < ($1, $2).",
  },
  async (t) => {
    const clock = new TestClock();
    const instance = await startFeed(t, { clock, timelineMaxLen: 12 });
    const world = new World(instance, clock);
    await world.users("reader", "a", "b", "c");
    for (const author of ["a", "b", "c"]) await world.follow("reader", author);
    for (let i = 0; i < 4; i++) {
      clock.tick(3);
      await world.post("a", `before ${i}`);
    }
    clock.tick(3);
    for (let i = 0; i < 25; i++) await world.post(["a", "b", "c"][i % 3]!, `same ms ${i}`); // one millisecond, 25 posts
    for (let i = 0; i < 4; i++) {
      clock.tick(3);
      await world.post("b", `after ${i}`);
    }
    for (const limit of [10, 7, 3]) {
      const { items, pages } = await readAll(instance, "reader", limit);
      expectFeed(items, world.expected("reader"), `reader's feed, all pages with limit ${limit} (25 of 33 posts created at ${new Date(clock.ms - 12).toISOString()}; page sizes ${pages.map((page) => page.items.length).join(", ")})`);
    }
  },
);

graded(
  "pagination.last-page",
  {
    points: 3,
    timeoutMs: 8000,
    hint: "Ask your store for limit + 1 items: the extra one tells you whether there is a next page. A cursor on the last page makes clients ask for an empty page.",
  },
  async (t) => {
    const clock = new TestClock();
    const instance = await startFeed(t, { clock, timelineMaxLen: 30 });
    const world = new World(instance, clock);
    await world.users("reader", "author", "silent", "loner");
    await world.follow("reader", "author");
    await world.follow("loner", "silent");
    for (let i = 0; i < 20; i++) {
      clock.tick(2);
      await world.post("author", `post ${i}`);
    }
    for (const [limit, sizes] of [[10, [10, 10]], [7, [7, 7, 6]], [20, [20]], [25, [20]]] as const) {
      const { items, pages } = await readAll(instance, "reader", limit);
      expect(pages.map((page) => page.items.length), `page sizes of reader's 20-post feed with limit ${limit} (the last page, and only it, has nextCursor null)`).toEqual(sizes);
      expectFeed(items, world.expected("reader"), `reader's feed with limit ${limit}`);
    }
    expect(await instance.feed.getHomeFeed("loner", { limit: 5 }), 'getHomeFeed("loner", { limit: 5 }): loner follows one user, who never posted').toEqual({ items: [], nextCursor: null });
  },
);

graded(
  "pagination.rejects-bad-input",
  {
    points: 3,
    timeoutMs: 8000,
    hint: "Validate before you query: limit must be an integer of at least 1 (a RangeError otherwise), a limit above pageMax is clamped, and a cursor you cannot decode is a TypeError or RangeError, never a page.",
  },
  async (t) => {
    const clock = new TestClock();
    const instance = await startFeed(t, { clock, pageMax: 10 });
    const world = new World(instance, clock);
    await world.users("reader", "author");
    await world.follow("reader", "author");
    for (let i = 0; i < 25; i++) {
      clock.tick(1);
      await world.post("author", `post ${i}`);
    }
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      await expectRejected(() => instance.feed.getHomeFeed("reader", { limit }), `getHomeFeed("reader", { limit: ${limit} })`);
    }
    const clamped = await instance.feed.getHomeFeed("reader", { limit: 500 });
    expect(clamped.items.length, `getHomeFeed("reader", { limit: 500 }) with pageMax 10 and 25 posts: items ${describePosts(clamped.items, 3)}`).toBe(10);
    expect(typeof clamped.nextCursor, "nextCursor of that clamped page (15 posts remain)").toBe("string");
    expectFeed(clamped.items, world.expected("reader").slice(0, 10), 'getHomeFeed("reader", { limit: 500 }) with pageMax 10');
    for (const cursor of ["not-a-cursor", "🙂", "A".repeat(400), "%%%", 42 as unknown as string]) {
      await expectRejected(() => instance.feed.getHomeFeed("reader", { limit: 5, cursor }), `getHomeFeed("reader", { limit: 5, cursor: ${JSON.stringify(cursor).slice(0, 30)} }), a cursor the service never issued`);
    }
  },
);
