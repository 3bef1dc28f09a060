/**
 * Shared by the hidden files (not a test file): "expires" cached posts without knowing
 * your key names, as the README promises (rule 17): deletes every key whose string value,
 * or one of whose hash fields, contains one of `texts` (unique markers in post bodies).
 */
import type { InstrumentedRedis } from "../../../harness/testing/index.ts";

export interface Expired {
  /** Keys deleted. */
  keys: number;
  /** The texts that were found in at least one key. */
  found: Set<string>;
}

export async function expireKeysHolding(redis: InstrumentedRedis, texts: string[]): Promise<Expired> {
  const expired: Expired = { keys: 0, found: new Set() };
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "COUNT", 500);
    cursor = next;
    if (keys.length === 0) continue;
    const types = ((await keys.reduce((pipeline, key) => pipeline.type(key), redis.pipeline()).exec()) ?? []).map(([, type]) => type as string);
    const reads = redis.pipeline();
    const read: string[] = [];
    keys.forEach((key, i) => {
      if (types[i] === "string") reads.get(key);
      else if (types[i] === "hash") reads.hvals(key);
      else return;
      read.push(key);
    });
    const values = read.length > 0 ? ((await reads.exec()) ?? []).map(([, value]) => (Array.isArray(value) ? value : [value]) as (string | null)[]) : [];
    const doomed: string[] = [];
    read.forEach((key, i) => {
      const holds = texts.filter((text) => values[i]!.some((value) => value?.includes(text)));
      if (holds.length === 0) return;
      for (const text of holds) expired.found.add(text);
      doomed.push(key);
    });
    if (doomed.length > 0) expired.keys += await redis.del(...doomed);
  } while (cursor !== "0");
  return expired;
}
