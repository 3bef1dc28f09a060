import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { buffersRead } from "./plans.ts";
import { expectedOrders, firstDifference, newest, openShop, users, walk } from "./shop.ts";

const timeoutMs = 15_000;

graded(
  "pagination.deep-pages",
  { points: 4, timeoutMs, hint: "OFFSET n reads and throws away n rows. Put the last row's (created_at, id) in the cursor and ask for rows after it." },
  async (t) => {
    const { admin, pool, service } = await openShop(t);
    const expected = await expectedOrders(admin, users.heavy);
    await service.listOrders(users.heavy, { limit: 10 });
    const firstPage = await buffersRead(admin, pool.traffic.calls);
    expect(firstPage, "buffers read by the first page of 10 of user 1, lines included (the reference reads about 50; reading all 3,000 orders reads about 3,000)").toBeLessThanOrEqual(1000);
    let cursor: string | undefined;
    for (let page = 0; page < 25; page++) cursor = (await service.listOrders(users.heavy, { limit: 100, ...(cursor ? { cursor } : {}) })).nextCursor!;
    pool.traffic.reset();
    const deep = await service.listOrders(users.heavy, { limit: 10, cursor: cursor! });
    expect(deep.items, `the page of 10 after 2,500 orders: ${firstDifference(deep.items, expected.slice(2500, 2510))}`).toEqual(expected.slice(2500, 2510));
    const deepPage = await buffersRead(admin, pool.traffic.calls);
    expect(deepPage, `buffers read by the page after 2,500 orders (the first page read ${firstPage}; allowed: 2 × that + 10)`).toBeLessThanOrEqual(2 * firstPage + 10);
  },
);

graded(
  "pagination.shared-timestamps",
  { points: 3, timeoutMs, hint: "created_at is not unique: 300 orders share one. The cursor needs a tie-breaker, (created_at, id), compared as a row." },
  async (t) => {
    const { admin, service } = await openShop(t);
    const expected = await expectedOrders(admin, users.ties);
    for (const limit of [7, 100]) {
      const { items } = await walk(service, users.ties, { limit }, 60);
      expect(items.map((order) => order.id), `ids from every page of listOrders(${users.ties}, { limit: ${limit} }), 300 orders with one created_at: ${firstDifference(items, expected)}`).toEqual(expected.map((order) => order.id));
    }
  },
);

graded(
  "pagination.inserts-between-pages",
  { points: 3, timeoutMs, hint: "With OFFSET, a row added or removed above the cursor shifts every later page. A keyset cursor names a position, not a count." },
  async (t) => {
    const { admin, service } = await openShop(t);
    const insert = (id: number | null, createdAt: Date | string) =>
      admin.query(`INSERT INTO shop.orders (${id === null ? "" : "id, "}user_id, status, created_at, total_cents) VALUES (${id === null ? "" : `${id}, `}$1, 'closed', $2, 100) RETURNING id`, [users.writer, createdAt]);
    try {
      const topId = (await insert(null, new Date(newest.getTime() + 7_200_000))).rows[0].id as number;
      const before = await expectedOrders(admin, users.writer);
      let lastOfFirst: { id: number; createdAt: string } | undefined;
      const { pages, items } = await walk(service, users.writer, { limit: 5 }, 30, async (page) => {
        if (page !== 1) return;
        const last = before[4]!;
        lastOfFirst = (await admin.query("SELECT id, created_at::text AS at FROM shop.orders WHERE id = $1", [last.id])).rows.map((row) => ({ id: row.id as number, createdAt: row.at as string }))[0];
        await admin.query("DELETE FROM shop.orders WHERE id = $1", [topId]); // seen on page 1: later pages must not shift
        await insert(null, new Date(newest.getTime() + 3_600_000)); // newer than the cursor: never shown
        await insert(null, lastOfFirst!.createdAt); // same created_at as the cursor, larger id: before it, never shown
        await insert(0, lastOfFirst!.createdAt); // same created_at, smaller id: right after the cursor
      });
      const after = await expectedOrders(admin, users.writer);
      const expected = [...before.slice(0, 5), ...after.slice(after.findIndex((order) => order.id === lastOfFirst!.id) + 1)];
      expect(pages[0]!.items.map((order) => order.id), "ids on page 1").toEqual(before.slice(0, 5).map((order) => order.id));
      expect(items.map((order) => order.id), `ids from every page of 5, with orders inserted and deleted after page 1: ${firstDifference(items, expected)}`).toEqual(expected.map((order) => order.id));
    } finally {
      await admin.query("DELETE FROM shop.orders WHERE user_id = $1 AND (id >= 1000000 OR id = 0)", [users.writer]);
    }
  },
);
