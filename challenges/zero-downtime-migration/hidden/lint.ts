import type { Step } from "../src/index.ts";

/** A lint rule the README states; `check` names every violation in the plan. */
export type RuleId =
  | "index-concurrently"
  | "unique-via-index"
  | "one-statement-concurrently"
  | "constraint-not-valid"
  | "no-required-column"
  | "not-null-via-check"
  | "validate-alone"
  | "no-rename"
  | "no-type-change";

/** Splits SQL into statements at semicolons outside quotes, dollar-quoted bodies and comments. */
export function statements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < sql.length; i++) {
    const rest = sql.slice(i);
    if (rest.startsWith("--")) {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? sql.length : end;
    } else if (rest.startsWith("/*")) {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 1;
    } else if (sql[i] === "'") {
      i++;
      while (i < sql.length && !(sql[i] === "'" && sql[i + 1] !== "'")) i += sql[i] === "'" ? 2 : 1;
    } else if (sql[i] === "$") {
      const tag = /^\$[A-Za-z_]*\$/.exec(rest)?.[0];
      if (tag) {
        const end = sql.indexOf(tag, i + tag.length);
        i = end < 0 ? sql.length : end + tag.length - 1;
      }
    } else if (sql[i] === ";") {
      out.push(sql.slice(start, i));
      start = i + 1;
    }
  }
  out.push(sql.slice(start));
  return out.map((s) => s.replace(/\s+/g, " ").trim()).filter((s) => s.length > 0);
}

/** The subcommands of an ALTER TABLE, split at top-level commas. */
function subcommands(statement: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < statement.length; i++) {
    const c = statement[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(statement.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(statement.slice(start).trim());
  return parts;
}

const ident = String.raw`"?([A-Za-z_][\w$]*)"?`;

/** Violations of `rules` in the plan, in plan order, as "step: rule: statement". */
export function lint(plan: { expand: Step[]; contract: Step[] }, rules: RuleId[]): string[] {
  const on = new Set(rules);
  const out: string[] = [];
  const checks = new Map<string, string>(); // constraint name -> column it keeps non-null
  const validated = new Set<string>(); // columns with a validated CHECK (col IS NOT NULL)
  for (const step of [...plan.expand, ...plan.contract]) {
    const list = statements(step.sql);
    const flag = (rule: RuleId, statement: string) => {
      if (on.has(rule)) out.push(`${step.name}: ${rule}: ${statement.length > 160 ? `${statement.slice(0, 157)}...` : statement}`);
    };
    if (!step.transactional && list.length !== 1) flag("one-statement-concurrently", step.sql.replace(/\s+/g, " ").trim());
    for (const statement of list) {
      if (/^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY\b)/i.test(statement)) flag("index-concurrently", statement);
      if (/^DROP\s+INDEX\s+(?!CONCURRENTLY\b)/i.test(statement)) flag("index-concurrently", statement);
      if (/\bCONCURRENTLY\b/i.test(statement) && step.transactional) flag("one-statement-concurrently", statement);
      if (/\bRENAME\b/i.test(statement) && /^ALTER\s+TABLE\b/i.test(statement)) flag("no-rename", statement);
      if (!/^ALTER\s+TABLE\b/i.test(statement)) continue;
      const subs = subcommands(statement.replace(/^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?\S+\s+/i, ""));
      if (list.length > 1 || subs.length > 1) {
        if (subs.some((sub) => /^VALIDATE\s+CONSTRAINT\b/i.test(sub))) flag("validate-alone", statement);
      }
      for (const sub of subs) {
        if (/^ADD\s+(?:CONSTRAINT\s+\S+\s+)?(?:UNIQUE|PRIMARY\s+KEY|EXCLUDE)\b/i.test(sub) && !/\bUSING\s+INDEX\s+(?!TABLESPACE)/i.test(sub)) flag("unique-via-index", statement);
        if (/^ADD\s+(?:CONSTRAINT\s+\S+\s+)?(?:CHECK|FOREIGN\s+KEY)\b/i.test(sub) && !/\bNOT\s+VALID\s*$/i.test(sub)) flag("constraint-not-valid", statement);
        if (/^ADD\s+(?:COLUMN\s+)?(?!CONSTRAINT\b|CHECK\b|UNIQUE\b|PRIMARY\b|FOREIGN\b|EXCLUDE\b)/i.test(sub) && /\bNOT\s+NULL\b/i.test(sub) && !/\bDEFAULT\b/i.test(sub)) flag("no-required-column", statement);
        if (/^ALTER\s+(?:COLUMN\s+)?\S+\s+(?:SET\s+DATA\s+)?TYPE\b/i.test(sub)) flag("no-type-change", statement);
        const added = new RegExp(String.raw`^ADD\s+CONSTRAINT\s+${ident}\s+CHECK\s*\(\s*${ident}\s+IS\s+NOT\s+NULL\s*\)\s+NOT\s+VALID$`, "i").exec(sub);
        if (added) checks.set(added[1]!.toLowerCase(), added[2]!.toLowerCase());
        const validate = new RegExp(String.raw`^VALIDATE\s+CONSTRAINT\s+${ident}$`, "i").exec(sub);
        const column = validate && checks.get(validate[1]!.toLowerCase());
        if (column) validated.add(column);
        const setNotNull = new RegExp(String.raw`^ALTER\s+(?:COLUMN\s+)?${ident}\s+SET\s+NOT\s+NULL$`, "i").exec(sub);
        if (setNotNull && !validated.has(setNotNull[1]!.toLowerCase())) flag("not-null-via-check", statement);
      }
    }
  }
  return out;
}
