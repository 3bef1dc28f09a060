/**
 * Variant: one query per page (the lines built by a LATERAL json_agg), a JSON cursor,
 * and a partial index for the rare status instead of a composite one. Closed orders (19
 * in 20) walk the main index and skip the few open ones, which costs little.
 */
import type { Pool } from "pg";
import type { Order, OrdersService, ProductUnits, User } from "../../../challenges/query-tuning/src/index.ts";

const indexes = [
  "CREATE INDEX IF NOT EXISTS v_orders_page_idx ON shop.orders (user_id, created_at DESC, id DESC)",
  "CREATE INDEX IF NOT EXISTS v_orders_open_page_idx ON shop.orders (user_id, created_at DESC, id DESC) WHERE status = 'open'",
  "CREATE INDEX IF NOT EXISTS v_order_lines_order_idx ON shop.order_lines (order_id, id)",
  "CREATE INDEX IF NOT EXISTS v_orders_created_idx ON shop.orders (created_at DESC)",
  "CREATE INDEX IF NOT EXISTS v_users_email_idx ON shop.users (lower(email))",
];

interface Row {
  id: number;
  user_id: number;
  status: "open" | "closed";
  created_at: Date;
  at: string;
  total_cents: number;
  lines: Order["lines"];
}

export function createOrdersService({ pg }: { pg: Pool }): OrdersService {
  return {
    async migrate() {
      await pg.query(indexes.join(";\n"));
    },
    async listOrders(userId, { limit, cursor, status }) {
      const values: unknown[] = [userId, limit + 1];
      let where = "o.user_id = $1";
      // A literal, not a parameter, so the partial index's predicate is provably implied.
      if (status === "open") where += " AND o.status = 'open'";
      if (status === "closed") where += " AND o.status = 'closed'";
      if (cursor !== undefined) {
        const after = JSON.parse(Buffer.from(cursor, "base64").toString()) as { at: string; id: number };
        values.push(after.at, after.id);
        where += " AND (o.created_at, o.id) < ($3::timestamptz, $4::integer)";
      }
      const result = await pg.query<Row>(
        `SELECT o.id, o.user_id, o.status, o.created_at, o.created_at::text AS at, o.total_cents, l.lines
         FROM (SELECT * FROM shop.orders o WHERE ${where} ORDER BY o.created_at DESC, o.id DESC LIMIT $2) o
         CROSS JOIN LATERAL (
           SELECT coalesce(json_agg(json_build_object('productId', x.product_id, 'quantity', x.quantity, 'unitPriceCents', x.unit_price_cents) ORDER BY x.id), '[]') AS lines
           FROM shop.order_lines x WHERE x.order_id = o.id
         ) l
         ORDER BY o.created_at DESC, o.id DESC`,
        values,
      );
      const rows = result.rows.slice(0, limit);
      const last = rows.at(-1);
      return {
        items: rows.map((row) => ({ id: row.id, userId: row.user_id, status: row.status, createdAt: row.created_at, totalCents: row.total_cents, lines: row.lines })),
        nextCursor: result.rows.length > limit && last ? Buffer.from(JSON.stringify({ at: last.at, id: last.id })).toString("base64") : null,
      };
    },
    async findUserByEmail(email) {
      const result = await pg.query<User>("SELECT id, email, name FROM shop.users WHERE lower(email) = lower($1) LIMIT 1", [email]);
      return result.rows[0] ?? null;
    },
    async topProducts(since, limit) {
      const result = await pg.query<{ product_id: number; units: string }>(
        `SELECT product_id, sum(quantity) AS units FROM shop.order_lines
         WHERE order_id IN (SELECT id FROM shop.orders WHERE created_at >= $1)
         GROUP BY product_id ORDER BY 2 DESC, 1 LIMIT $2`,
        [since, limit],
      );
      return result.rows.map((row): ProductUnits => ({ productId: row.product_id, units: Number(row.units) }));
    },
  };
}
