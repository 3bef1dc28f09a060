import { expect } from "vitest";
import { fullScans, graded, oneLine, sortedScans } from "../../../harness/testing/index.ts";
import { openShop, users } from "./shop.ts";

const timeoutMs = 15_000;

graded(
  "indexes.page-plans",
  { points: 4, timeoutMs, hint: "An index on (user_id, created_at, id) gives a user's orders in page order, so LIMIT stops early; order_lines needs an index on order_id." },
  async (t) => {
    const { admin, pool, service } = await openShop(t);
    const first = await service.listOrders(users.heavy, { limit: 20 });
    await service.listOrders(users.heavy, { limit: 20, cursor: first.nextCursor! });
    const heavy = [...pool.traffic.calls];
    await service.listOrders(1001, { limit: 100 });
    for (const call of pool.traffic.calls) {
      const sql = oneLine(call.text);
      expect(await fullScans(admin, call), `whole-table scans in the plan of: ${sql}`).toEqual([]);
      if (!heavy.includes(call)) continue; // sorting the 10 orders of a light user is the planner's right call
      const ordersSorted = (await sortedScans(admin, call)).filter((found) => / on orders\b/.test(found));
      expect(ordersSorted, `sorts of user 1's 3,000 orders in the plan of: ${sql}`).toEqual([]);
    }
  },
);

graded(
  "indexes.email-lookup",
  { points: 2, timeoutMs, hint: "WHERE lower(email) = lower($1) with an index ON users (lower(email)); the expression must match the index exactly." },
  async (t) => {
    const { admin, pool, service } = await openShop(t);
    const email = (await admin.query("SELECT email FROM shop.users WHERE id = 321")).rows[0].email as string;
    await service.findUserByEmail(email.toUpperCase());
    expect(pool.traffic.calls.length, "findUserByEmail sent no query").toBeGreaterThan(0);
    for (const call of pool.traffic.calls) {
      expect(await fullScans(admin, call), `whole-table scans in the plan of: ${oneLine(call.text)}`).toEqual([]);
    }
  },
);
