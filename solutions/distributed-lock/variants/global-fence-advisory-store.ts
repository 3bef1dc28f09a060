/**
 * A correct variant built the other way wherever the spec leaves a choice:
 * - one fence counter for every resource (INCR of a single key), not one per resource;
 * - plain EVAL each time, no script cache to lose;
 * - using() extends at the slowest rate allowed (every ttlMs/2) and treats the first failed
 *   extension as the end of the lease, instead of retrying until expiresAt;
 * - the store serializes writers with a Postgres advisory lock in a transaction, and keeps
 *   its own schema (a numeric fence column).
 */
import { randomBytes } from "node:crypto";
import type { Pool } from "pg";
import type { FencedStore, Lease, LockManager, LockOptions } from "../../../challenges/distributed-lock/src/index.ts";

export class LockBusyError extends Error {
  override name = "LockBusyError";
  readonly code = "LOCK_BUSY";
  constructor(readonly resource: string) {
    super(`lock "${resource}" is busy`);
  }
}

export class LockLostError extends Error {
  override name = "LockLostError";
  readonly code = "LOCK_LOST";
  constructor(
    readonly resource: string,
    options?: { cause?: unknown },
  ) {
    super(`lost the lock on "${resource}"`, options);
  }
}

const takeLua = `
local ok = redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX')
if not ok then return -1 end
return redis.call('INCR', KEYS[2])
`;
const dropLua = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end return redis.call('DEL', KEYS[1])`;
const renewLua = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end return redis.call('PEXPIRE', KEYS[1], ARGV[2])`;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createLockManager({ redis, ttlMs, retry, prefix = "lock:" }: LockOptions): LockManager {
  const keyOf = (resource: string) => `${prefix}held:${resource}`;
  const counter = `${prefix}fence-counter`;

  function lease(resource: string, token: string, fence: number, firstExpiry: number): Lease {
    let expiresAt = firstExpiry;
    return {
      resource,
      token,
      fence,
      get expiresAt() {
        return expiresAt;
      },
      async extend(ms = ttlMs) {
        const sentAt = Date.now();
        const renewed = (await redis.eval(renewLua, 1, keyOf(resource), token, ms)) === 1;
        if (renewed) expiresAt = sentAt + ms;
        return renewed;
      },
      async release() {
        return (await redis.eval(dropLua, 1, keyOf(resource), token)) === 1;
      },
    };
  }

  async function acquire(resource: string): Promise<Lease | null> {
    const token = randomBytes(20).toString("hex");
    for (let retries = 0; ; retries++) {
      const sentAt = Date.now();
      const fence = Number(await redis.eval(takeLua, 2, keyOf(resource), counter, token, ttlMs));
      if (fence > 0) {
        const won = lease(resource, token, fence, sentAt + ttlMs);
        if (Date.now() < won.expiresAt) return won;
        await won.release().catch(() => false);
      }
      if (!retry || retries >= retry.attempts) return null;
      await wait(retry.delayMs + Math.random() * (retry.jitterMs ?? 0));
    }
  }

  async function using<T>(resource: string, fn: (signal: AbortSignal, lease: Lease) => Promise<T>): Promise<T> {
    const held = await acquire(resource);
    if (!held) throw new LockBusyError(resource);
    const controller = new AbortController();
    let finished = false;
    let onLost!: (error: unknown) => void;
    const lost = new Promise<never>((_, reject) => (onLost = reject));
    lost.catch(() => {});
    const loseLock = (cause: unknown) => {
      if (finished || controller.signal.aborted) return;
      const error = new LockLostError(resource, { cause });
      controller.abort(error);
      onLost(error);
    };
    // One loop does both jobs: renew every ttlMs/2, and give up when the lease's end passes unconfirmed.
    const keepAlive = (async () => {
      while (!finished && !controller.signal.aborted) {
        await wait(Math.min(ttlMs / 2, held.expiresAt - Date.now()));
        if (finished || controller.signal.aborted) return;
        if (Date.now() >= held.expiresAt) return loseLock(new Error("lease ran out"));
        const renewal = held.extend().then(
          (renewed) => (renewed ? "renewed" : "taken"),
          () => "failed",
        );
        const outcome = await Promise.race([renewal, wait(Math.max(0, held.expiresAt - Date.now())).then(() => "timed out")]);
        if (outcome !== "renewed") return loseLock(new Error(`extension ${outcome}`));
      }
    })();
    keepAlive.catch(() => {});
    const work = Promise.resolve().then(() => fn(controller.signal, held));
    work.catch(() => {});
    try {
      return await Promise.race([work, lost]);
    } finally {
      finished = true;
      if (!controller.signal.aborted) await held.release().catch(() => false);
    }
  }

  return { acquire, using };
}

export function createFencedStore({ pg }: { pg: Pool }): FencedStore {
  return {
    async migrate() {
      await pg.query("CREATE TABLE IF NOT EXISTS protected_values (name text PRIMARY KEY, highest_fence numeric(20) NOT NULL, body text NOT NULL)");
    },
    async write(resource, fence, value) {
      const client = await pg.connect();
      try {
        await client.query("BEGIN");
        await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [resource]);
        const current = await client.query<{ highest_fence: string }>("SELECT highest_fence FROM protected_values WHERE name = $1", [resource]);
        if (current.rows[0] && BigInt(current.rows[0].highest_fence) > BigInt(fence)) {
          await client.query("ROLLBACK");
          return "stale";
        }
        await client.query(
          "INSERT INTO protected_values (name, highest_fence, body) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET highest_fence = EXCLUDED.highest_fence, body = EXCLUDED.body",
          [resource, fence, value],
        );
        await client.query("COMMIT");
        return "ok";
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async read(resource) {
      const result = await pg.query<{ body: string }>("SELECT body FROM protected_values WHERE name = $1", [resource]);
      return result.rows[0]?.body ?? null;
    },
  };
}
