/**
 * Query tuning — your implementation goes here.
 * The spec is in ../README.md. Grade it with: npm run grade query-tuning
 */
import type { Pool } from "pg";

/** One line of an order, as stored in `shop.order_lines`. */
export interface OrderLine {
  productId: number;
  quantity: number;
  unitPriceCents: number;
}

/** An order with its lines (lines in ascending line id). */
export interface Order {
  id: number;
  userId: number;
  status: "open" | "closed";
  createdAt: Date;
  totalCents: number;
  lines: OrderLine[];
}

/** A row of `shop.users`. */
export interface User {
  id: number;
  email: string;
  name: string;
}

export interface ListQuery {
  /** Page size, 1 to 100. */
  limit: number;
  /** `nextCursor` of the previous page of the same user and status; absent for the first page. */
  cursor?: string;
  /** Only orders with this status; absent for every order. */
  status?: "open" | "closed";
}

export interface OrderPage {
  /** Newest first: `createdAt` descending, then `id` descending. */
  items: Order[];
  /** Opaque; null exactly when no order follows this page. */
  nextCursor: string | null;
}

export interface ProductUnits {
  productId: number;
  units: number;
}

export interface OrdersService {
  /** Creates your indexes (DDL on the existing `shop` tables); safe to run again. */
  migrate(): Promise<void>;
  listOrders(userId: number, query: ListQuery): Promise<OrderPage>;
  /** The user whose email equals `email` ignoring case, or null. */
  findUserByEmail(email: string): Promise<User | null>;
  /** Units sold per product in orders created at or after `since`: most units first, then lower productId; at most `limit`. */
  topProducts(since: Date, limit: number): Promise<ProductUnits[]>;
}

/** Thrown by the parts you have not written yet; the grader reports them as "not implemented". */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}

export function createOrdersService(options: { pg: Pool }): OrdersService {
  throw new NotImplementedError("createOrdersService");
}
