import type { Pool } from "pg";
import type { ListQuery, Order, OrderLine, OrdersService, ProductUnits, User } from "../../challenges/query-tuning/src/index.ts";
import { decodeCursor, encodeCursor } from "./keyset-cursor.ts";
import { referenceIndexes } from "./migrations.ts";

/** An order row with its keyset position as Postgres prints it (microseconds survive). */
export interface OrderRow {
  id: number;
  user_id: number;
  status: "open" | "closed";
  created_at: Date;
  position: string;
  total_cents: number;
}

/** The reference's choices, one per query; each mistake swaps one. */
export interface ServicePolicy {
  indexes: string[];
  /** The page's orders in page order, and whether more follow. */
  page(pg: Pool, userId: number, query: ListQuery): Promise<{ rows: OrderRow[]; nextCursor: string | null }>;
  /** The lines of these orders, by order id, in line id order. */
  lines(pg: Pool, orderIds: number[]): Promise<Map<number, OrderLine[]>>;
  findUserByEmail(pg: Pool, email: string): Promise<User | null>;
  topProducts(pg: Pool, since: Date, limit: number): Promise<ProductUnits[]>;
}

const orderColumns = "id, user_id, status, created_at, created_at::text AS position, total_cents";

/** limit + 1 rows after the cursor's position, in index order: the extra row says whether a next page exists. */
export async function keysetPage(pg: Pool, userId: number, query: ListQuery) {
  const values: unknown[] = [userId];
  const where = ["user_id = $1"];
  if (query.status) {
    values.push(query.status);
    where.push(`status = $${values.length}`);
  }
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor);
    values.push(after.createdAt, after.id);
    where.push(`(created_at, id) < ($${values.length - 1}::timestamptz, $${values.length}::integer)`);
  }
  values.push(query.limit + 1);
  const result = await pg.query<OrderRow>(
    `SELECT ${orderColumns} FROM shop.orders WHERE ${where.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
    values,
  );
  const rows = result.rows.slice(0, query.limit);
  const last = rows.at(-1);
  return { rows, nextCursor: result.rows.length > query.limit && last ? encodeCursor({ createdAt: last.position, id: last.id }) : null };
}

export async function linesByOrder(pg: Pool, orderIds: number[]): Promise<Map<number, OrderLine[]>> {
  const byOrder = new Map<number, OrderLine[]>(orderIds.map((id) => [id, []]));
  if (orderIds.length === 0) return byOrder;
  const result = await pg.query<{ order_id: number; product_id: number; quantity: number; unit_price_cents: number }>(
    "SELECT order_id, product_id, quantity, unit_price_cents FROM shop.order_lines WHERE order_id = ANY($1::integer[]) ORDER BY order_id, id",
    [orderIds],
  );
  for (const row of result.rows) byOrder.get(row.order_id)!.push({ productId: row.product_id, quantity: row.quantity, unitPriceCents: row.unit_price_cents });
  return byOrder;
}

export async function userByLowerEmail(pg: Pool, email: string): Promise<User | null> {
  const result = await pg.query<User>("SELECT id, email, name FROM shop.users WHERE lower(email) = lower($1) ORDER BY id LIMIT 1", [email]);
  return result.rows[0] ?? null;
}

export async function rankProducts(pg: Pool, since: Date, limit: number): Promise<ProductUnits[]> {
  const result = await pg.query<{ product_id: number; units: string }>(
    `SELECT l.product_id, sum(l.quantity) AS units
     FROM shop.orders o JOIN shop.order_lines l ON l.order_id = o.id
     WHERE o.created_at >= $1
     GROUP BY l.product_id
     ORDER BY units DESC, l.product_id
     LIMIT $2`,
    [since, limit],
  );
  return result.rows.map((row) => ({ productId: row.product_id, units: Number(row.units) }));
}

export const referencePolicy: ServicePolicy = {
  indexes: referenceIndexes,
  page: keysetPage,
  lines: linesByOrder,
  findUserByEmail: userByLowerEmail,
  topProducts: rankProducts,
};

export function toOrder(row: OrderRow, lines: OrderLine[]): Order {
  return { id: row.id, userId: row.user_id, status: row.status, createdAt: row.created_at, totalCents: row.total_cents, lines };
}

export function createPolicyService(pg: Pool, policy: ServicePolicy): OrdersService {
  return {
    async migrate() {
      for (const statement of policy.indexes) await pg.query(statement);
    },
    async listOrders(userId, query) {
      const { rows, nextCursor } = await policy.page(pg, userId, query);
      const lines = await policy.lines(pg, rows.map((row) => row.id));
      return { items: rows.map((row) => toOrder(row, lines.get(row.id) ?? [])), nextCursor };
    },
    findUserByEmail: (email) => policy.findUserByEmail(pg, email),
    topProducts: (since, limit) => policy.topProducts(pg, since, limit),
  };
}
