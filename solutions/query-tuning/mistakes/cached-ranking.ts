/**
 * Mistake: the ranking is cached in memory for a minute: fast, and wrong as soon as someone orders.
 */
import type { Pool } from "pg";
import type { OrdersService } from "../../../challenges/query-tuning/src/index.ts";
import { createPolicyService, referencePolicy } from "../orders-service.ts";
import type { ProductUnits } from "../../../challenges/query-tuning/src/index.ts";
import { rankProducts } from "../orders-service.ts";

const cache = new Map<string, { at: number; value: ProductUnits[] }>();

export const mustFail = ["aggregates.sees-new-orders"];

export function createOrdersService(options: { pg: Pool }): OrdersService {
  return createPolicyService(options.pg, {
    ...referencePolicy,
    async topProducts(pg, since, limit) {
      const key = `${since.getTime()}:${limit}`;
      const hit = cache.get(key);
      if (hit && Date.now() - hit.at < 60_000) return hit.value;
      const value = await rankProducts(pg, since, limit);
      cache.set(key, { at: Date.now(), value });
      return value;
    },
  });
}
