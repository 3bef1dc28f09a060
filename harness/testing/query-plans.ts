import type { InstrumentedPool } from "./instrumented-postgres.ts";

/** A table scan of at most this many rows is too small to matter. */
const defaultBigTableRows = 500;

interface PlanNode {
  "Node Type": string;
  "Parent Relationship"?: string;
  "Relation Name"?: string;
  Schema?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  "Sort Key"?: string[];
  Plans?: PlanNode[];
}

function* nodes(plan: PlanNode): Generator<PlanNode> {
  yield plan;
  for (const child of plan.Plans ?? []) yield* nodes(child);
}

/** SQL that EXPLAIN accepts (after any leading comments). */
function explainable(text: string): boolean {
  return /^(select|with|update|insert|delete|values|table)\b/i.test(text.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, ""));
}

/** The plan of `call` (EXPLAIN without ANALYZE: a write is planned, never run), or null for SQL that EXPLAIN does not take. */
async function planOf(admin: InstrumentedPool, call: { text: string; values?: unknown[] }): Promise<PlanNode | null> {
  if (!explainable(call.text)) return null;
  const result = await admin.query(`EXPLAIN (FORMAT JSON, VERBOSE) ${call.text}`, call.values);
  return (result.rows[0]["QUERY PLAN"] as { Plan: PlanNode }[])[0]!.Plan;
}

/** The planner's row count of a table; -1 if unknown. */
async function tableRows(admin: InstrumentedPool, node: PlanNode): Promise<number> {
  const size = await admin.query(
    "SELECT c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2",
    [node.Schema ?? "public", node["Relation Name"]],
  );
  return Number(size.rows[0]?.reltuples ?? -1);
}

/**
 * Scans that read a whole table of over `bigTableRows` rows in the plan of `call`: a Seq
 * Scan, or an index scan with no Index Cond (every entry, filtered). Each is described
 * for an assertion message; an empty list means every table is reached through an index.
 * EXPLAIN without ANALYZE: a write in `call` is planned, never run.
 */
export async function fullScans(admin: InstrumentedPool, call: { text: string; values?: unknown[] }, bigTableRows = defaultBigTableRows): Promise<string[]> {
  const plan = await planOf(admin, call);
  if (!plan) return [];
  const found: string[] = [];
  for (const node of nodes(plan)) {
    const type = node["Node Type"];
    const whole = type === "Seq Scan" || (/^Index (Only )?Scan$/.test(type) && !node["Index Cond"]);
    if (!whole || !node["Relation Name"]) continue;
    const rows = await tableRows(admin, node);
    const using = node["Index Name"] ? ` using ${node["Index Name"]} without an index condition` : "";
    if (rows < 0 || rows > bigTableRows) found.push(`${type} on ${node["Relation Name"]}${using} (~${Math.round(rows)} rows)`);
  }
  return found;
}

const tableScan = /^(Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan|Tid Scan|Tid Range Scan|Sample Scan)$/;

/** The scans that feed rows into `sort`, looking through joins and other nodes but not past a Limit (which bounds what is read) or into sub-plans. */
function* scansFeeding(sort: PlanNode): Generator<PlanNode> {
  for (const child of sort.Plans ?? []) {
    if (child["Parent Relationship"] === "InitPlan" || child["Parent Relationship"] === "SubPlan") continue;
    if (child["Node Type"] === "Limit") continue;
    if (tableScan.test(child["Node Type"]) && child["Relation Name"]) yield child;
    else yield* scansFeeding(child);
  }
}

/** Whether an index scan looks up whole keys of a unique index (`id = $1`, `id = ANY($1)`): it reads as many rows as keys it was given. */
async function uniqueKeyLookup(admin: InstrumentedPool, schema: string, index: string | undefined, condition: string | undefined): Promise<boolean> {
  if (!index || !condition) return false;
  const result = await admin.query<{ unique: boolean; columns: (string | null)[] }>(
    `SELECT i.indisunique AS unique,
            array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                  WHERE k.n <= i.indnkeyatts ORDER BY k.n) AS columns
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname = $2`,
    [schema, index],
  );
  const row = result.rows[0];
  if (!row?.unique || row.columns.length === 0) return false;
  const quote = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return row.columns.every((column) => column !== null && new RegExp(`(^|[\\s(."])${quote(column)}"?\\s*=\\s`).test(condition));
}

/** Whether a scan reads only rows named by unique keys; a Bitmap Heap Scan, when each of its index scans does. */
async function keyedRows(admin: InstrumentedPool, scan: PlanNode): Promise<boolean> {
  const schema = scan.Schema ?? "public";
  if (/^Index (Only )?Scan$/.test(scan["Node Type"])) return uniqueKeyLookup(admin, schema, scan["Index Name"], scan["Index Cond"]);
  if (scan["Node Type"] !== "Bitmap Heap Scan") return false;
  const indexScans = [...nodes(scan)].filter((node) => node["Node Type"] === "Bitmap Index Scan");
  if (indexScans.length === 0) return false;
  for (const node of indexScans) if (!(await uniqueKeyLookup(admin, schema, node["Index Name"], node["Index Cond"]))) return false;
  return true;
}

/**
 * Explicit sorts of rows read from a table of over `bigTableRows` rows in the plan of
 * `call`: a Sort node fed by a scan of that table with no Limit in between, so every
 * matching row is read and sorted, where an index in that order would have let a LIMIT
 * stop early (an index on `author_id` alone, for "the newest posts of this author").
 * Not counted: a sort of rows looked up by the keys of a unique index (`id = ANY($1)`,
 * as many rows as keys), a sort above a Limit (e.g. merging per-author lists that each
 * came in index order), and Incremental Sort (the index gave most of the order).
 * Each is described for an assertion message.
 */
export async function sortedScans(admin: InstrumentedPool, call: { text: string; values?: unknown[] }, bigTableRows = defaultBigTableRows): Promise<string[]> {
  const plan = await planOf(admin, call);
  if (!plan) return [];
  const found: string[] = [];
  for (const node of nodes(plan)) {
    if (node["Node Type"] !== "Sort") continue;
    for (const scan of scansFeeding(node)) {
      const rows = await tableRows(admin, scan);
      if (rows >= 0 && rows <= bigTableRows) continue;
      if (await keyedRows(admin, scan)) continue;
      const using = scan["Index Name"] ? ` using ${scan["Index Name"]}` : "";
      found.push(`Sort (${(node["Sort Key"] ?? []).join(", ")}) of the rows of a ${scan["Node Type"]} on ${scan["Relation Name"]}${using} (~${Math.round(rows)} rows): an index in that order would let a LIMIT stop early`);
    }
  }
  return found;
}

/** SQL text on one line, for messages. */
export function oneLine(sql: string): string {
  return sql.replace(/\s+/g, " ").trim();
}
