/**
 * Mistake: getDeliveries() hands the id straight to Postgres. Parameters keep it safe from
 * SQL injection, but the column is a uuid: an id from a client that is not one ("nope", "")
 * makes Postgres refuse the cast (22P02), and the call rejects where an unknown id must
 * give [].
 */
import type { Delivery } from "../../../challenges/notification-queue/src/index.ts";
import { PostgresStore, deliveriesSql, queueVariant, toDelivery } from "./queue-variant.ts";

export const mustFail = ["fan-out.unknown-ids"];

class UncheckedIdStore extends PostgresStore {
  override async getDeliveries(notificationId: string): Promise<Delivery[]> {
    const result = await this.pg.query(deliveriesSql, [notificationId]);
    return result.rows.map(toDelivery);
  }
}

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({ store: (options) => new UncheckedIdStore(options.pg, options) });
