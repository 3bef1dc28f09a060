import type { Pool } from "pg";

/** Where each viewer's position (the WAL position their next read must see) is kept. */
export interface PositionStore {
  /** The viewer's position, as Postgres prints an LSN, or null if they have none. */
  get(viewerId: string): Promise<string | null>;
  /** Raises the viewer's position to the primary's WAL insert position now (one primary query). */
  raiseToPrimary(viewerId: string): Promise<void>;
  /** Raises the viewer's position to `lsn` (one primary query). */
  raiseTo(viewerId: string, lsn: string): Promise<void>;
  /** Runs a read on the primary and raises the viewer's position past everything it saw, in one statement. */
  readAndRaise<R extends object>(viewerId: string, select: string, params: unknown[]): Promise<R[]>;
}

const upsert = (viewer: string, lsn: string) => `INSERT INTO read_positions (viewer_id, lsn) VALUES (${viewer}, ${lsn})
  ON CONFLICT (viewer_id) DO UPDATE SET lsn = GREATEST(read_positions.lsn, EXCLUDED.lsn)`;

/** Positions in a table on the primary: every instance of the service sees the same ones. */
function tableStore(primary: Pool): PositionStore {
  return {
    async get(viewerId) {
      const result = await primary.query<{ lsn: string }>("SELECT lsn::text AS lsn FROM read_positions WHERE viewer_id = $1", [viewerId]);
      return result.rows[0]?.lsn ?? null;
    },
    async raiseToPrimary(viewerId) {
      // The insert position, not pg_current_wal_lsn(): with asynchronous commit a visible commit may not be written out yet.
      await primary.query(upsert("$1", "pg_current_wal_insert_lsn()"), [viewerId]);
    },
    async raiseTo(viewerId, lsn) {
      await primary.query(upsert("$1", "$2::pg_lsn"), [viewerId, lsn]);
    },
    async readAndRaise<R extends object>(viewerId: string, select: string, params: unknown[]) {
      // One statement, one snapshot: the position is read after the snapshot was taken, so it covers every commit the read saw.
      const viewer = `$${params.length + 1}`;
      const result = await primary.query<R & object>(`WITH raised AS (${upsert(viewer, "pg_current_wal_insert_lsn()")}) ${select}`, [...params, viewerId]);
      return result.rows;
    },
  };
}

/** An LSN ("16/B374D848") as a number of bytes, for comparisons in JavaScript. */
export function lsnBytes(lsn: string): bigint {
  const [high = "0", low = "0"] = lsn.split("/");
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

/** Positions in this instance's memory: a mistake (another instance never sees them), kept for mistakes/. */
function memoryStore(primary: Pool): PositionStore {
  const positions = new Map<string, string>();
  const raise = (viewerId: string, lsn: string) => {
    const old = positions.get(viewerId);
    if (old === undefined || lsnBytes(lsn) > lsnBytes(old)) positions.set(viewerId, lsn);
  };
  const insertPosition = async () => (await primary.query<{ lsn: string }>("SELECT pg_current_wal_insert_lsn()::text AS lsn")).rows[0]!.lsn;
  return {
    get: async (viewerId) => positions.get(viewerId) ?? null,
    raiseToPrimary: async (viewerId) => raise(viewerId, await insertPosition()),
    raiseTo: async (viewerId, lsn) => raise(viewerId, lsn),
    async readAndRaise<R extends object>(viewerId: string, select: string, params: unknown[]) {
      const rows = (await primary.query<R & object>(select, params)).rows;
      raise(viewerId, await insertPosition());
      return rows;
    },
  };
}

export function createPositionStore(primary: Pool, where: "primary" | "memory"): PositionStore {
  return where === "primary" ? tableStore(primary) : memoryStore(primary);
}
