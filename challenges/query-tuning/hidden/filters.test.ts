import { expect } from "vitest";
import { fullScans, graded, oneLine, sortedScans } from "../../../harness/testing/index.ts";
import { buffersRead } from "./plans.ts";
import { expectedOrders, firstDifference, openShop, users } from "./shop.ts";

const timeoutMs = 15_000;

graded(
  "filters.rare-status-reads-little",
  { points: 4, timeoutMs, hint: "1 order in 20 is open: walking an index without status reads 20 rows for each one kept. Put status in the index, or add a partial index WHERE status = 'open'." },
  async (t) => {
    const { admin, pool, service } = await openShop(t);
    await service.listOrders(users.heavy, { limit: 10 });
    const unfiltered = await buffersRead(admin, pool.traffic.calls);
    pool.traffic.reset();
    const open = await service.listOrders(users.heavy, { limit: 10, status: "open" });
    const expected = (await expectedOrders(admin, users.heavy, "open")).slice(0, 10);
    expect(open.items, `listOrders(1, { limit: 10, status: "open" }): ${firstDifference(open.items, expected)}`).toEqual(expected);
    const filtered = await buffersRead(admin, pool.traffic.calls);
    expect(filtered, `buffers read by a page of open orders (an unfiltered page read ${unfiltered}; allowed: 2 × that + 10)`).toBeLessThanOrEqual(2 * unfiltered + 10);
  },
);

graded(
  "filters.status-plans",
  { points: 2, timeoutMs, hint: "Filtered pages need the same plan shape as unfiltered ones: an index that yields the user's orders of that status in page order." },
  async (t) => {
    const { admin, pool, service } = await openShop(t);
    const heavy: unknown[] = [];
    for (const status of ["open", "closed"] as const) {
      pool.traffic.reset();
      const first = await service.listOrders(users.heavy, { limit: 20, status });
      await service.listOrders(users.heavy, { limit: 20, status, cursor: first.nextCursor! });
      heavy.push(...pool.traffic.calls);
    }
    pool.traffic.reset();
    await service.listOrders(1200, { limit: 5, status: "open" });
    await service.listOrders(1200, { limit: 5, status: "closed" });
    for (const call of [...heavy, ...pool.traffic.calls] as typeof pool.traffic.calls) {
      const sql = oneLine(call.text);
      expect(await fullScans(admin, call), `whole-table scans in the plan of: ${sql}`).toEqual([]);
      if (!heavy.includes(call)) continue; // sorting the few orders of a light user is the planner's right call
      const ordersSorted = (await sortedScans(admin, call)).filter((found) => / on orders\b/.test(found));
      expect(ordersSorted, `sorts of user 1's orders in the plan of: ${sql}`).toEqual([]);
    }
  },
);
