import { expect } from "vitest";
import { graded, oneLine } from "../../../harness/testing/index.ts";
import { countsOverOrders } from "./plans.ts";
import { openShop, users } from "./shop.ts";

const timeoutMs = 15_000;

graded(
  "hygiene.no-count",
  { points: 2, timeoutMs, hint: "Whether a next page exists is one extra row: LIMIT limit + 1. COUNT(*) reads every order of the user on every page." },
  async (t) => {
    const { admin, pool, service } = await openShop(t);
    const first = await service.listOrders(users.heavy, { limit: 10 });
    await service.listOrders(users.heavy, { limit: 10, cursor: first.nextCursor!, status: "closed" });
    await service.listOrders(users.twenty, { limit: 20 });
    for (const call of pool.traffic.calls) {
      expect(await countsOverOrders(admin, call), `counting in the plan of: ${oneLine(call.text)}`).toEqual([]);
    }
  },
);

interface IndexRow {
  name: string;
  table: string;
  unique: boolean;
  method: string;
  predicate: string | null;
  keys: string[];
}

graded(
  "hygiene.indexes",
  { points: 2, timeoutMs, hint: "Every index slows every write. Drop an index whose columns lead another's: (user_id) is served by (user_id, created_at, id)." },
  async (t) => {
    const { admin, service } = await openShop(t);
    await service.migrate(); // a second run on the same database
    const result = await admin.query<IndexRow>(
      `SELECT c.relname AS name, tc.relname AS table, i.indisunique AS unique, am.amname AS method,
              pg_get_expr(i.indpred, i.indrelid) AS predicate,
              array(SELECT pg_get_indexdef(i.indexrelid, k, true) || CASE WHEN (i.indoption[k - 1] & 1) = 1 THEN ' DESC' ELSE '' END
                    FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k) AS keys
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indexrelid
       JOIN pg_class tc ON tc.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = tc.relnamespace
       JOIN pg_am am ON am.oid = c.relam
       WHERE n.nspname = 'shop'`,
    );
    const indexes = result.rows;
    const describe = (index: IndexRow) => `${index.name} ON ${index.table} (${index.keys.join(", ")})${index.predicate ? ` WHERE ${index.predicate}` : ""}`;
    const redundant: string[] = [];
    for (const a of indexes) {
      if (a.unique) continue;
      for (const b of indexes) {
        if (a === b || a.table !== b.table || a.method !== b.method || a.predicate !== b.predicate || b.keys.length < a.keys.length) continue;
        if (a.keys.length === b.keys.length && a.name > b.name && !b.unique) continue; // report a duplicate pair once
        if (a.keys.every((key, i) => b.keys[i] === key)) redundant.push(`${describe(a)} is served by ${describe(b)}`);
      }
    }
    expect(redundant, "indexes made redundant by another (same table, method and predicate; leading key columns)").toEqual([]);
  },
);
