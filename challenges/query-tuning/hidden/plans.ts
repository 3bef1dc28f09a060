import type { InstrumentedPool } from "../../../harness/testing/index.ts";

interface PlanNode {
  "Node Type": string;
  "Parent Relationship"?: string;
  "Relation Name"?: string;
  Strategy?: string;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
}

type Call = { text: string; values?: unknown[] };

/** Reads only: what EXPLAIN ANALYZE may run without changing data. */
function readOnly(text: string): boolean {
  const sql = text.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, "");
  return /^(select|with|values|table)\b/i.test(sql) && !/\b(insert|update|delete|merge)\b/i.test(sql);
}

function* nodes(plan: PlanNode): Generator<PlanNode> {
  yield plan;
  for (const child of plan.Plans ?? []) yield* nodes(child);
}

async function analyzed(admin: InstrumentedPool, call: Call): Promise<PlanNode | null> {
  if (!readOnly(call.text)) return null;
  const result = await admin.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${call.text}`, call.values);
  return (result.rows[0]["QUERY PLAN"] as { Plan: PlanNode }[])[0]!.Plan;
}

/** Shared buffers (hit + read) the read-only queries among `calls` touch when run again now, summed; the same whatever is cached. */
export async function buffersRead(admin: InstrumentedPool, calls: Call[]): Promise<number> {
  let total = 0;
  for (const call of calls) {
    const plan = await analyzed(admin, call);
    if (plan) total += (plan["Shared Hit Blocks"] ?? 0) + (plan["Shared Read Blocks"] ?? 0);
  }
  return total;
}

/** Whether a subtree reads `shop.orders` (not counting sub-plans it merely calls). */
function readsOrders(node: PlanNode): boolean {
  if (node["Relation Name"] === "orders") return true;
  return (node.Plans ?? []).some((child) => child["Parent Relationship"] !== "SubPlan" && readsOrders(child));
}

/**
 * Counting over the user's orders in the plan of `call`: a plain Aggregate (count(*),
 * max(...)) or a WindowAgg (count(*) OVER ()) fed by a scan of `orders`. Described for
 * an assertion message.
 */
export async function countsOverOrders(admin: InstrumentedPool, call: Call): Promise<string[]> {
  if (!readOnly(call.text)) return [];
  const result = await admin.query(`EXPLAIN (FORMAT JSON) ${call.text}`, call.values);
  const plan = (result.rows[0]["QUERY PLAN"] as { Plan: PlanNode }[])[0]!.Plan;
  const found: string[] = [];
  for (const node of nodes(plan)) {
    const counting = (node["Node Type"] === "Aggregate" && node.Strategy === "Plain") || node["Node Type"] === "WindowAgg";
    if (counting && readsOrders(node)) found.push(`${node["Node Type"]}${node.Strategy ? ` (${node.Strategy})` : ""} over the rows of orders`);
  }
  return found;
}

/**
 * Index scans in the plan of `call` whose condition does not constrain the index's first
 * key column: Postgres 15 then reads the whole index (`created_at >= $1` on an index of
 * `(user_id, created_at, id)`). Described for an assertion message.
 */
export async function wholeIndexScans(admin: InstrumentedPool, call: Call): Promise<string[]> {
  if (!readOnly(call.text)) return [];
  const result = await admin.query(`EXPLAIN (FORMAT JSON) ${call.text}`, call.values);
  const plan = (result.rows[0]["QUERY PLAN"] as { Plan: PlanNode & { "Index Name"?: string; "Index Cond"?: string } }[])[0]!.Plan;
  const found: string[] = [];
  for (const node of nodes(plan) as Generator<PlanNode & { "Index Name"?: string; "Index Cond"?: string }>) {
    const index = node["Index Name"];
    const condition = node["Index Cond"];
    if (!index || !condition) continue;
    const first = await admin.query<{ key: string }>(
      "SELECT pg_get_indexdef(c.oid, 1, true) AS key FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'shop' AND c.relname = $1",
      [index],
    );
    const key = first.rows[0]?.key;
    if (!key) continue;
    const unqualified = condition.replace(/\b\w+\./g, "");
    if (!unqualified.includes(key)) found.push(`${node["Node Type"]} using ${index} with condition ${condition}, which does not constrain its first column ${key}: it reads the whole index`);
  }
  return found;
}
