import { expect } from "vitest";
import { graded, withConcurrency } from "../../../harness/testing/index.ts";
import { describePost, expectFeed, readAll, startFeed, TestClock, World } from "./feed.ts";

const followerCount = 30;
/** Round trips a post to 30 followers may take: a few pipelines, never one per follower. */
const pushRoundTrips = 5;
/** Commands a celebrity's post may send, however many followers: the body and their own list, say. */
const celebrityCommands = 6;

graded(
  "fan-out.pushes-in-batches",
  {
    points: 4,
    timeoutMs: 12_000,
    hint: "Queue the push for every follower of a batch on one pipeline (or one script) and send it once; one await per follower is one round trip per follower. Then the followers' next read needs no SQL.",
  },
  async (t) => {
    const clock = new TestClock();
    const instance = await startFeed(t, { clock, celebrityThreshold: 1000 });
    const world = new World(instance, clock);
    const followers = Array.from({ length: followerCount }, (_, i) => `fan${i}`);
    await world.users("author", "friend", ...followers);
    await withConcurrency(followers.length, 10, async (i) => {
      await world.follow(followers[i]!, "author");
      await world.follow(followers[i]!, "friend");
    });
    for (let i = 0; i < 3; i++) {
      clock.tick(10);
      await world.post(i === 1 ? "friend" : "author", `warm-up ${i}`);
    }
    await withConcurrency(followers.length, 10, (i) => instance.feed.getHomeFeed(followers[i]!, { limit: 10 })); // every follower's timeline is cached now
    clock.tick(10);
    instance.redis.traffic.reset();
    const post = await world.post("author", `a post for ${followerCount} followers`);
    const { roundTrips, commands } = instance.redis.traffic;
    expect(roundTrips, `Redis round trips during createPost("author", …) with ${followerCount} followers whose timelines are cached (${commands} commands sent)`).toBeLessThanOrEqual(pushRoundTrips);

    instance.pool.traffic.reset();
    for (const follower of followers) {
      const page = await instance.feed.getHomeFeed(follower, { limit: 10 });
      expect(page.items[0]?.id, `${follower}'s first item right after ${describePost(post)} (got ${describePost(page.items[0])})`).toBe(post.id);
      expectFeed(page.items, world.expected(follower), `${follower}'s first page`);
    }
    const statements = [...new Set(instance.pool.traffic.statements.map((s) => s.replace(/\s+/g, " ").trim().slice(0, 80)))];
    expect(instance.pool.traffic.queries, `SQL queries for the ${followerCount} followers' next reads, the new post pushed to their cached timelines (statements: ${statements.join(" | ")})`).toBe(0);
  },
);

graded(
  "fan-out.celebrity-merged-on-read",
  {
    points: 3,
    timeoutMs: 12_000,
    hint: "Don't write to every follower of a celebrity: keep the celebrity's recent posts in one list, and merge the lists of the celebrities a user follows into their page at read time.",
  },
  async (t) => {
    const clock = new TestClock();
    const instance = await startFeed(t, { clock, celebrityThreshold: 10, timelineMaxLen: 20 });
    const world = new World(instance, clock);
    const fans = Array.from({ length: 20 }, (_, i) => `fan${i}`);
    await world.users("star", "neighbour", ...fans);
    await withConcurrency(fans.length, 10, async (i) => {
      await world.follow(fans[i]!, "star");
      await world.follow(fans[i]!, "neighbour");
    });
    for (let i = 0; i < 8; i++) {
      clock.tick(4);
      await world.post(i % 2 ? "star" : "neighbour", `before ${i}`);
    }
    await withConcurrency(fans.length, 10, (i) => instance.feed.getHomeFeed(fans[i]!, { limit: 5 }));
    clock.tick(4);
    instance.redis.traffic.reset();
    const post = await world.post("star", "a celebrity speaks");
    const { commands, commandNames } = instance.redis.traffic;
    expect(commands, `Redis commands during createPost("star", …): star has 20 followers and celebrityThreshold is 10 (commands: ${commandNames.join(", ")})`).toBeLessThanOrEqual(celebrityCommands);
    for (let i = 0; i < 6; i++) {
      clock.tick(1);
      await world.post(i % 2 ? "star" : "neighbour", `after ${i}`);
    }
    for (const fan of fans) {
      const page = await instance.feed.getHomeFeed(fan, { limit: 10 });
      expect(page.items.some((item) => item.id === post.id), `${fan}'s first page (limit 10) should hold ${describePost(post)}`).toBe(true);
      expectFeed(page.items, world.expected(fan).slice(0, 10), `${fan}'s first page (limit 10), star's and neighbour's posts merged`);
    }
    expectFeed((await readAll(instance, "fan3", 4)).items, world.expected("fan3"), "fan3's whole feed with limit 4");
  },
);
