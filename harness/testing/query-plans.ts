import type { InstrumentedPool } from "./instrumented-postgres.ts";

/** A table scan of at most this many rows is too small to matter. */
const defaultBigTableRows = 500;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Schema?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
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

/**
 * Scans that read a whole table of over `bigTableRows` rows in the plan of `call`: a Seq
 * Scan, or an index scan with no Index Cond (every entry, filtered). Each is described
 * for an assertion message; an empty list means every table is reached through an index.
 * EXPLAIN without ANALYZE: a write in `call` is planned, never run.
 */
export async function fullScans(admin: InstrumentedPool, call: { text: string; values?: unknown[] }, bigTableRows = defaultBigTableRows): Promise<string[]> {
  if (!explainable(call.text)) return [];
  const result = await admin.query(`EXPLAIN (FORMAT JSON, VERBOSE) ${call.text}`, call.values);
  const plan = (result.rows[0]["QUERY PLAN"] as { Plan: PlanNode }[])[0]!.Plan;
  const found: string[] = [];
  for (const node of nodes(plan)) {
    const type = node["Node Type"];
    const whole = type === "Seq Scan" || (/^Index (Only )?Scan$/.test(type) && !node["Index Cond"]);
    if (!whole || !node["Relation Name"]) continue;
    const size = await admin.query(
      "SELECT c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2",
      [node.Schema ?? "public", node["Relation Name"]],
    );
    const rows = Number(size.rows[0]?.reltuples ?? -1);
    const using = node["Index Name"] ? ` using ${node["Index Name"]} without an index condition` : "";
    if (rows < 0 || rows > bigTableRows) found.push(`${type} on ${node["Relation Name"]}${using} (~${Math.round(rows)} rows)`);
  }
  return found;
}

/** SQL text on one line, for messages. */
export function oneLine(sql: string): string {
  return sql.replace(/\s+/g, " ").trim();
}
