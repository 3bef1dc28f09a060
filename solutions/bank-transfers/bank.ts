import type pg from "pg";
import type { Bank, BankOptions } from "../../challenges/bank-transfers/src/index.ts";
import { UnknownAccountError } from "./bank-errors.ts";
import { referenceTransactionPolicy, runTransaction, type TransactionPolicy } from "./run-transaction.ts";

interface LockedRow {
  id: string;
  owner: string;
  balance: string;
}

/** The SQL a bank sends; each mistake in mistakes/ changes one part. */
export interface BankPolicy {
  transaction: TransactionPolicy;
  schema: string;
  /** Locks (or reads) `ids` and every account of `owner of ownerOf`, returning id, owner, balance. */
  lockRows(client: pg.PoolClient, ownerOf: string, ids: string[]): Promise<LockedRow[]>;
  /** Adds `delta` (cents, may be negative) to each account. */
  apply(client: pg.PoolClient, changes: [id: string, delta: bigint, before: bigint][]): Promise<void>;
  balances(pool: pg.Pool): Promise<Map<string, bigint>>;
  toCents(value: string): bigint;
  /** How a transaction is run and retried (the reference: runTransaction). */
  run?: typeof runTransaction;
}

export const referencePolicy: BankPolicy = {
  transaction: referenceTransactionPolicy,
  schema: `
    CREATE TABLE IF NOT EXISTS accounts (id text PRIMARY KEY, owner text NOT NULL, balance bigint NOT NULL);
    CREATE INDEX IF NOT EXISTS accounts_owner ON accounts (owner);`,
  // One statement, rows locked in id order: two transactions never wait for each other in a circle.
  async lockRows(client, ownerOf, ids) {
    const result = await client.query<LockedRow>(
      `SELECT id, owner, balance FROM accounts
       WHERE id = ANY($2::text[]) OR owner = (SELECT owner FROM accounts WHERE id = $1)
       ORDER BY id FOR UPDATE`,
      [ownerOf, ids],
    );
    return result.rows;
  },
  async apply(client, changes) {
    await client.query(
      `UPDATE accounts SET balance = balance + change.delta
       FROM unnest($1::text[], $2::bigint[]) AS change(id, delta) WHERE accounts.id = change.id`,
      [changes.map(([id]) => id), changes.map(([, delta]) => delta.toString())],
    );
  },
  async balances(pool) {
    const result = await pool.query<{ id: string; balance: string }>("SELECT id, balance FROM accounts");
    return new Map(result.rows.map((row) => [row.id, BigInt(row.balance)]));
  },
  toCents: (value) => BigInt(value),
};

function positive(cents: bigint): void {
  if (typeof cents !== "bigint") throw new TypeError(`cents must be a bigint, got ${typeof cents}`);
  if (cents <= 0n) throw new RangeError(`cents must be positive, got ${cents}`);
}

/** A bank whose transactions and SQL follow `policy` (the reference's, or a mistake's). */
export function createPolicyBank(options: BankOptions, policy: BankPolicy): Bank {
  const { pg: pool, isolation, maxRetries } = options;
  let retries = 0;
  const run = <T>(work: (client: pg.PoolClient) => Promise<T>) =>
    (policy.run ?? runTransaction)(pool, { isolation, maxRetries, policy: policy.transaction, onRetry: () => retries++ }, work);

  /** Debits `from` (and credits `to`) if the debited owner's total stays >= 0. */
  const move = (from: string, to: string | null, cents: bigint) =>
    run(async (client): Promise<"ok" | "insufficient_funds"> => {
      const rows = await policy.lockRows(client, from, to === null ? [from] : [from, to]);
      const source = rows.find((row) => row.id === from);
      if (!source) throw new UnknownAccountError(from);
      const target = to === null ? null : rows.find((row) => row.id === to);
      if (target === undefined) throw new UnknownAccountError(to!);
      const sameOwner = target !== null && target.owner === source.owner;
      if (!sameOwner) {
        const total = rows.filter((row) => row.owner === source.owner).reduce((sum, row) => sum + policy.toCents(row.balance), 0n);
        if (total < cents) return "insufficient_funds";
      }
      const changes: [string, bigint, bigint][] = [[from, -cents, policy.toCents(source.balance)]];
      if (target) changes.push([target.id, cents, policy.toCents(target.balance)]);
      await policy.apply(client, changes);
      return "ok";
    });

  return {
    async migrate() {
      await pool.query(policy.schema);
    },
    async open(owner, accountId, cents) {
      if (typeof cents !== "bigint" || cents < 0n) throw new RangeError(`an account opens with cents >= 0n, got ${String(cents)}`);
      await pool.query("INSERT INTO accounts (id, owner, balance) VALUES ($1, $2, $3)", [accountId, owner, cents.toString()]);
    },
    async transfer(from, to, cents) {
      positive(cents);
      if (from === to) throw new RangeError(`a transfer needs two different accounts, got "${from}" twice`);
      return move(from, to, cents);
    },
    async withdraw(accountId, cents) {
      positive(cents);
      return move(accountId, null, cents);
    },
    balances: () => policy.balances(pool),
    stats: () => ({ retries }),
  };
}
