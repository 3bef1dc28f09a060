/**
 * Script calls made in the same turn of the event loop on one client, sent together as
 * one pipeline: one write and one round trip for every breaker on the connection,
 * instead of one each. Arguments are read when the turn ends, so a caller can still add
 * to them until then.
 */
import type { Redis } from "ioredis";
import { isNoScript, type Script } from "./run-script.ts";

interface Queued {
  script: Script;
  keys: string[];
  args: () => (string | number)[];
  resolve(reply: unknown): void;
  reject(error: unknown): void;
}

const queues = new Map<Redis, Queued[]>();

export function runThisTurn(redis: Redis, script: Script, keys: string[], args: () => (string | number)[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let queue = queues.get(redis);
    if (!queue) {
      queues.set(redis, (queue = []));
      setImmediate(flush, redis);
    }
    queue.push({ script, keys, args, resolve, reject });
  });
}

function flush(redis: Redis): void {
  const queue = queues.get(redis)!;
  queues.delete(redis);
  if (queue.length === 1) {
    const [only] = queue as [Queued];
    only.script(redis, only.keys, only.args()).then(only.resolve, only.reject);
    return;
  }
  const pipeline = redis.pipeline();
  const sent = queue.map((queued) => queued.args());
  queue.forEach((queued, index) => pipeline.evalsha(queued.script.sha, queued.keys.length, ...queued.keys, ...sent[index]!));
  pipeline.exec().then(
    (results) =>
      queue.forEach((queued, index) => {
        const [error, reply] = results?.[index] ?? [new Error("no reply in the pipeline"), null];
        if (!error) return queued.resolve(reply);
        if (!isNoScript(error)) return queued.reject(error);
        redis.eval(queued.script.lua, queued.keys.length, ...queued.keys, ...sent[index]!).then(queued.resolve, queued.reject);
      }),
    (error: unknown) => queue.forEach((queued) => queued.reject(error)),
  );
}
