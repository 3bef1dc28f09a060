import { expect } from "vitest";
import { graded, oneLine } from "../../../harness/testing/index.ts";
import { newest, openShop, users } from "./shop.ts";

const timeoutMs = 15_000;

graded(
  "n-plus-one.page-queries",
  { points: 3, timeoutMs, hint: "One query per order for its lines is the N+1: fetch every line of the page at once, WHERE order_id = ANY($1)." },
  async (t) => {
    const { pool, service } = await openShop(t);
    const first = await service.listOrders(users.heavy, { limit: 2 });
    const calls: [string, () => Promise<unknown>][] = [
      ["listOrders(1, { limit: 1 })", () => service.listOrders(users.heavy, { limit: 1 })],
      ["listOrders(1, { limit: 100 })", () => service.listOrders(users.heavy, { limit: 100 })],
      ["listOrders(1, { limit: 100, cursor })", () => service.listOrders(users.heavy, { limit: 100, cursor: first.nextCursor! })],
      ["listOrders(1, { limit: 60, status: \"closed\" })", () => service.listOrders(users.heavy, { limit: 60, status: "closed" })],
    ];
    for (const [label, call] of calls) {
      pool.traffic.reset();
      await call();
      const sent = pool.traffic.statements.slice(0, 4).map(oneLine).join(" | ");
      expect(pool.traffic.queries, `queries sent by ${label} (at most 3 whatever the limit; first ones: ${sent})`).toBeLessThanOrEqual(3);
    }
  },
);

graded(
  "n-plus-one.lookup-queries",
  { points: 1, timeoutMs, hint: "The ranking is one GROUP BY over the window's lines; no query per product." },
  async (t) => {
    const { admin, pool, service } = await openShop(t);
    const email = (await admin.query("SELECT email FROM shop.users WHERE id = 42")).rows[0].email as string;
    pool.traffic.reset();
    await service.findUserByEmail(email);
    expect(pool.traffic.queries, `queries sent by findUserByEmail (${pool.traffic.statements.map(oneLine).join(" | ")})`).toBeLessThanOrEqual(2);
    pool.traffic.reset();
    await service.topProducts(new Date(newest.getTime() - 30 * 3_600_000), 20);
    const sent = pool.traffic.statements.slice(0, 4).map(oneLine).join(" | ");
    expect(pool.traffic.queries, `queries sent by topProducts(since, 20) (first ones: ${sent})`).toBeLessThanOrEqual(2);
  },
);
