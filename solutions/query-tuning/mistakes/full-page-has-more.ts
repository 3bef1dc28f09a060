/**
 * Mistake: a full page is taken as proof that more follow: a user with exactly 20 orders gets a
 * cursor to an empty page.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";
import { encodeCursor } from "../keyset-cursor.ts";
import { keysetPage } from "../orders-service.ts";

export const mustFail = ["correctness.first-pages", "correctness.every-page"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    async page(pg, userId, query) {
      const { rows } = await keysetPage(pg, userId, query);
      const last = rows.at(-1);
      return { rows, nextCursor: rows.length === query.limit && last ? encodeCursor({ createdAt: last.position, id: last.id }) : null };
    },
  });
}
