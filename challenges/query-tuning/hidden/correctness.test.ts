import { expect } from "vitest";
import { graded } from "../../../harness/testing/index.ts";
import { expectedOrders, expectedTop, expectedUser, firstDifference, newest, openShop, users, walk } from "./shop.ts";

const timeoutMs = 15_000;

graded(
  "correctness.first-pages",
  { points: 3, timeoutMs, hint: "Newest first means ORDER BY created_at DESC, id DESC; lines in ascending line id; ids and counts as JS numbers." },
  async (t) => {
    const { admin, service } = await openShop(t);
    for (const userId of [users.heavy, users.writer, 777]) {
      const expected = (await expectedOrders(admin, userId)).slice(0, 8);
      const page = await service.listOrders(userId, { limit: 8 });
      expect(page.items, `listOrders(${userId}, { limit: 8 }): ${firstDifference(page.items, expected)}`).toEqual(expected);
      expect(typeof page.nextCursor, `listOrders(${userId}, { limit: 8 }).nextCursor: more orders follow`).toBe("string");
    }
    const all = await service.listOrders(users.twenty, { limit: 20 });
    expect(all.items, `listOrders(${users.twenty}, { limit: 20 }) of a user with exactly 20 orders`).toEqual(await expectedOrders(admin, users.twenty));
    expect(all.nextCursor, "nextCursor when the page holds the user's last order").toBeNull();
    expect(await service.listOrders(999_999, { limit: 10 }), "listOrders of a user with no orders").toEqual({ items: [], nextCursor: null });
  },
);

graded(
  "correctness.every-page",
  { points: 3, timeoutMs, hint: "Fetch limit + 1 rows: the extra row says whether a next page exists. A full page is not proof that more follow." },
  async (t) => {
    const { admin, service } = await openShop(t);
    const cases: [number, { limit: number; status?: "open" | "closed" }][] = [
      [users.writer, { limit: 7 }],
      [users.twenty, { limit: 10 }],
      [users.heavy, { limit: 25, status: "open" }],
      [900, { limit: 3, status: "closed" }],
    ];
    for (const [userId, query] of cases) {
      const expected = await expectedOrders(admin, userId, query.status);
      const { pages, items } = await walk(service, userId, query, 50);
      const label = `every page of listOrders(${userId}, ${JSON.stringify(query)})`;
      expect(items, `${label}: ${firstDifference(items, expected)}`).toEqual(expected);
      expect(pages.length, `${label}: pages for ${expected.length} orders (no empty last page)`).toBe(Math.ceil(expected.length / query.limit));
    }
    const expected = await expectedOrders(admin, users.heavy);
    const first = await service.listOrders(users.heavy, { limit: 5 });
    const next = await service.listOrders(users.heavy, { limit: 12, cursor: first.nextCursor! });
    expect(next.items, `a page of 12 after a page of 5 (the limit may change between pages): ${firstDifference(next.items, expected.slice(5, 17))}`).toEqual(expected.slice(5, 17));
  },
);

graded(
  "correctness.find-user-by-email",
  { points: 2, timeoutMs, hint: "Compare lower(email) = lower($1). ILIKE treats % and _ in the input as wildcards." },
  async (t) => {
    const { admin, service } = await openShop(t);
    const user = await expectedUser(admin, 1234);
    for (const email of [user.email, user.email.toUpperCase(), user.email.toLowerCase()]) {
      expect(await service.findUserByEmail(email), `findUserByEmail(${JSON.stringify(email)}), stored as ${JSON.stringify(user.email)}`).toEqual(user);
    }
    for (const email of ["nobody@example.com", user.email.replace(/\d+@/, "%@"), user.email.replace(/^./, "_")]) {
      expect(await service.findUserByEmail(email), `findUserByEmail(${JSON.stringify(email)}): no user has that email`).toBeNull();
    }
  },
);

graded(
  "correctness.top-products",
  { points: 2, timeoutMs, hint: "SUM(quantity) per product over the lines of orders with created_at >= since; ORDER BY units DESC, product_id; units as a number." },
  async (t) => {
    const { admin, service } = await openShop(t);
    for (const [hours, limit] of [[3, 10], [30, 25], [-1, 5]] as const) {
      const since = new Date(newest.getTime() - hours * 3_600_000);
      expect(await service.topProducts(since, limit), `topProducts(${since.toISOString()}, ${limit})`).toEqual(await expectedTop(admin, since, limit));
    }
    const boundary = (await admin.query("SELECT created_at FROM shop.orders WHERE user_id > 4 ORDER BY created_at DESC LIMIT 1 OFFSET 40")).rows[0].created_at as Date;
    expect(await service.topProducts(boundary, 400), `topProducts(${boundary.toISOString()}, 400), exactly the created_at of an order: since is inclusive`).toEqual(await expectedTop(admin, boundary, 400));
  },
);
