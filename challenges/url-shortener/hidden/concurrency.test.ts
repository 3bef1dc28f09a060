import { expect } from "vitest";
import { graded, runConcurrently } from "../../../harness/testing/index.ts";
import { expectRedirect, expectStatus, keepAliveClient, scriptedCodes, show, startService, type RawResponse } from "./service.ts";

/** Status counts of settled requests, e.g. { 201: 1, 409: 19 }; a request that threw counts as "error". */
function tally(results: PromiseSettledResult<{ status: number }>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) {
    const key = result.status === "fulfilled" ? String(result.value.status) : "error";
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

graded(
  "concurrency.alias-race",
  {
    points: 4,
    timeoutMs: 10_000,
    hint: "Checking that an alias is free and then inserting it races with other requests. Let the unique key decide: INSERT ... ON CONFLICT (code) DO NOTHING, and answer 409 when no row came back.",
  },
  async (t) => {
    const service = await startService(t);
    // Open 20 connections first, so that the 20 creates below reach the server together.
    const client = keepAliveClient(service.server, 20);
    await Promise.all(Array.from({ length: 20 }, () => client.get("/api/links/warm-up")));
    const results = await runConcurrently(20, (i) => client.post("/api/links", { url: `https://example.com/contender/${i}`, alias: "launch-day" }));
    expect(tally(results), "statuses of 20 simultaneous POST /api/links with the alias launch-day").toEqual({ 201: 1, 409: 19 });
    const answers = results.map((result) => (result as PromiseFulfilledResult<RawResponse>).value);
    const winner = JSON.parse(answers.find((answer) => answer.status === 201)!.body) as { url: string };
    const loser = answers.find((answer) => answer.status === 409)!;
    expect((JSON.parse(loser.body) as { error?: { code?: string } }).error?.code, `body.error.code of a 409 (${show(loser)})`).toBe("ALIAS_TAKEN");
    expectRedirect(await service.visit("launch-day"), winner.url, "GET /launch-day: the URL of the one request that got 201");
  },
);

graded(
  "concurrency.code-collision",
  {
    points: 3,
    timeoutMs: 8000,
    hint: "When the generated code is taken, call generateCode() again and retry (at least 5 attempts); never update, replace or reveal the link that holds the code.",
  },
  async (t) => {
    const codes = scriptedCodes("Taken01", "Taken01", "Fresh01", "MyAlias", "Fresh02");
    const service = await startService(t, { generateCode: codes.generateCode });
    const first = await service.createOk({ url: "https://example.com/first" });
    expect(first.code, "code of the first link (generateCode returned Taken01)").toBe("Taken01");
    expectRedirect(await service.visit("Taken01"), "https://example.com/first", "GET /Taken01");

    const second = await service.createOk({ url: "https://example.com/second" });
    expect(second.code, `code of the second link: generateCode returned Taken01 (taken), then Fresh01 (calls: ${codes.calls.join(", ")})`).toBe("Fresh01");
    expect(second.url, "body.url of the second link").toBe("https://example.com/second");
    expectRedirect(await service.visit("Taken01"), "https://example.com/first", "GET /Taken01 after a create collided with it");
    const stats = await service.stats("Taken01");
    expect(stats.body, `GET /api/links/Taken01 after the collision (${show(stats)})`).toMatchObject({ url: "https://example.com/first", clicks: 2 });

    const aliased = await service.createOk({ url: "https://example.com/aliased", alias: "MyAlias" });
    expect(aliased.code, "code of a link created with the alias MyAlias").toBe("MyAlias");
    const third = await service.createOk({ url: "https://example.com/third" });
    expect(third.code, `code of the third link: generateCode returned MyAlias (an alias), then Fresh02 (calls: ${codes.calls.join(", ")})`).toBe("Fresh02");
    expectRedirect(await service.visit("MyAlias"), "https://example.com/aliased", "GET /MyAlias after a generated code collided with it");
    expectRedirect(await service.visit("Fresh02"), "https://example.com/third", "GET /Fresh02");
  },
);

graded(
  "concurrency.counts-every-click",
  {
    points: 3,
    timeoutMs: 10_000,
    hint: "Reading the count and writing count + 1 loses clicks under load. Increment atomically: UPDATE ... SET clicks = clicks + 1, or INCR in Redis.",
  },
  async (t) => {
    const service = await startService(t);
    const created = await service.createOk({ url: "https://example.com/viral" });
    const results = await runConcurrently(200, async () => await service.visit(created.code));
    expect(tally(results), `statuses of 200 simultaneous GET /${created.code}`).toEqual({ 302: 200 });
    const stats = await service.stats(created.code);
    expectStatus(stats, 200, `GET /api/links/${created.code}`);
    expect(stats.body?.clicks, "clicks after 200 simultaneous redirects, all answered").toBe(200);
  },
);
