/**
 * Mistake: the channel preference is checked before the type preference. A user who
 * turned SMS off for marketing, but kept security alerts on, no longer gets security
 * alerts by SMS.
 */
import { PostgresStore, claimSql, queueVariant, toClaimed } from "./queue-variant.ts";

export const mustFail = ["preferences.precedence"];

const channelFirst = claimSql.replace("ORDER BY (p.type <> '') DESC, (p.channel <> '') DESC", "ORDER BY (p.channel <> '') DESC, (p.type <> '') DESC");

class ChannelFirstStore extends PostgresStore {
  override async claim(limit: number) {
    const row = (await this.pg.query(channelFirst, [limit, this.options.leaseMs])).rows[0];
    return { claimed: row.claimed.map(toClaimed), nextDueAt: row.next_due };
  }
}

export { PermanentError } from "./queue-variant.ts";
export const { createNotificationService } = queueVariant({ store: (options) => new ChannelFirstStore(options.pg, options) });
