/**
 * Mistake: a COUNT(*) of the user's orders decides whether a next page exists: every page counts
 * every order of the user.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";
import { encodeCursor } from "../keyset-cursor.ts";
import { keysetPage } from "../orders-service.ts";

export const mustFail = ["hygiene.no-count"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    async page(pg, userId, query) {
      const { rows } = await keysetPage(pg, userId, { ...query, cursor: query.cursor?.split(".")[0] });
      const total = await pg.query<{ n: number }>(
        `SELECT count(*)::integer AS n FROM shop.orders WHERE user_id = $1 ${query.status ? "AND status = $2" : "AND $2::text IS NULL"}`,
        [userId, query.status ?? null],
      );
      const seen = query.cursor === undefined ? 0 : Number(query.cursor.split(".")[1]);
      const last = rows.at(-1);
      const more = seen + rows.length < total.rows[0]!.n && last;
      return { rows, nextCursor: more ? `${encodeCursor({ createdAt: last.position, id: last.id })}.${seen + rows.length}` : null };
    },
  });
}
