/**
 * The reference's indexes. Each serves one query shape; none is a leading prefix of
 * another on the same table (README rule 12).
 */
export const referenceIndexes = [
  // A user's page, newest first: equality on user_id, then the keyset order; LIMIT stops early.
  "CREATE INDEX IF NOT EXISTS orders_user_created_idx ON shop.orders (user_id, created_at, id)",
  // The same with a status: the equality column goes before the range columns.
  "CREATE INDEX IF NOT EXISTS orders_user_status_created_idx ON shop.orders (user_id, status, created_at, id)",
  // The lines of a page's orders, and the join of the ranking.
  "CREATE INDEX IF NOT EXISTS order_lines_order_idx ON shop.order_lines (order_id)",
  // The ranking's window of recent orders.
  "CREATE INDEX IF NOT EXISTS orders_created_idx ON shop.orders (created_at)",
  // findUserByEmail compares lower(email); the index must be on the same expression.
  "CREATE INDEX IF NOT EXISTS users_lower_email_idx ON shop.users (lower(email))",
];
