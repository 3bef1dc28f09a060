import { UserError } from "../errors.ts";

/** What `${{ }}` expressions may read: the GitHub contexts a local run can fill in. */
export interface ExpressionContext {
  inputs: Record<string, unknown>;
  matrix: Record<string, unknown>;
  steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }>;
  env: Record<string, string>;
  secrets: Record<string, string>;
  github: Record<string, unknown>;
  /** success, failure or cancelled, for always()/success()/failure(). */
  jobStatus: "success" | "failure";
}

/** An expression this local runner does not understand: the workflow grew past what it can check. */
export class UnsupportedExpressionError extends UserError {
  constructor(expression: string, why: string) {
    super("UNSUPPORTED_EXPRESSION", `Cannot evaluate \${{ ${expression} }} locally: ${why}.`, {
      hint: "The local runner understands contexts, string literals, ==, !=, ||, &&, !, fromJSON(), always(), success(), failure(), cancelled().",
    });
  }
}

type Token = { kind: "string" | "number" | "name" | "op"; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:'((?:[^']|'')*)'|(\d+(?:\.\d+)?)|([A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*)|(==|!=|\|\||&&|[!(),]))/y;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    pattern.lastIndex = at;
    const match = pattern.exec(source);
    if (!match) throw new UnsupportedExpressionError(source, `unexpected ${JSON.stringify(source.slice(at).trim().slice(0, 10))}`);
    if (match[1] !== undefined) tokens.push({ kind: "string", text: match[1].replace(/''/g, "'") });
    else if (match[2] !== undefined) tokens.push({ kind: "number", text: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: "name", text: match[3] });
    else tokens.push({ kind: "op", text: match[4]! });
    at = pattern.lastIndex;
  }
  return tokens;
}

function lookup(ctx: ExpressionContext, dotted: string, source: string): unknown {
  const [head, ...rest] = dotted.split(".");
  const roots: Record<string, unknown> = { inputs: ctx.inputs, matrix: ctx.matrix, steps: ctx.steps, env: ctx.env, secrets: ctx.secrets, github: ctx.github };
  if (!(head! in roots)) throw new UnsupportedExpressionError(source, `unknown context "${head}"`);
  let value: unknown = roots[head!];
  for (const key of rest) value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** GitHub's loose truthiness: '', 0, null, false and undefined are false. */
const truthy = (value: unknown): boolean => value !== "" && value !== 0 && value !== null && value !== false && value !== undefined;

/** Evaluates one expression (the text between `${{` and `}}`). */
export function evaluate(source: string, ctx: ExpressionContext): unknown {
  const tokens = tokenize(source);
  let at = 0;
  const peek = () => tokens[at];
  const expect = (text: string) => {
    if (tokens[at]?.text !== text) throw new UnsupportedExpressionError(source, `expected "${text}"`);
    at++;
  };
  const primary = (): unknown => {
    const token = tokens[at++];
    if (!token) throw new UnsupportedExpressionError(source, "it ends too soon");
    if (token.kind === "string") return token.text;
    if (token.kind === "number") return Number(token.text);
    if (token.text === "(") {
      const value = or();
      expect(")");
      return value;
    }
    if (token.text === "!") return !truthy(primary());
    if (token.kind === "name" && peek()?.text === "(") {
      at++;
      const args: unknown[] = [];
      while (peek()?.text !== ")") {
        args.push(or());
        if (peek()?.text === ",") at++;
      }
      expect(")");
      switch (token.text) {
        case "fromJSON":
          return JSON.parse(String(args[0]));
        case "toJSON":
          return JSON.stringify(args[0]);
        case "always":
          return true;
        case "success":
          return ctx.jobStatus === "success";
        case "failure":
          return ctx.jobStatus === "failure";
        case "cancelled":
          return false;
        default:
          throw new UnsupportedExpressionError(source, `unknown function ${token.text}()`);
      }
    }
    if (token.kind === "name") {
      if (token.text === "true" || token.text === "false") return token.text === "true";
      if (token.text === "null") return null;
      return lookup(ctx, token.text, source);
    }
    throw new UnsupportedExpressionError(source, `unexpected "${token.text}"`);
  };
  const comparison = (): unknown => {
    const left = primary();
    const op = peek()?.text;
    if (op !== "==" && op !== "!=") return left;
    at++;
    const right = primary();
    const equal = typeof left === "string" && typeof right === "string" ? left.toLowerCase() === right.toLowerCase() : left === right;
    return op === "==" ? equal : !equal;
  };
  const and = (): unknown => {
    let value = comparison();
    while (peek()?.text === "&&") {
      at++;
      const right = comparison();
      value = truthy(value) ? right : value;
    }
    return value;
  };
  const or = (): unknown => {
    let value = and();
    while (peek()?.text === "||") {
      at++;
      const right = and();
      value = truthy(value) ? value : right;
    }
    return value;
  };
  const value = or();
  if (at !== tokens.length) throw new UnsupportedExpressionError(source, `unexpected "${tokens[at]!.text}"`);
  return value;
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Replaces every `${{ … }}` in a string; a string that is one expression keeps its value's type. */
export function interpolate(text: string, ctx: ExpressionContext): unknown {
  const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(text);
  if (whole) return evaluate(whole[1]!, ctx);
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, source: string) => asText(evaluate(source, ctx)));
}

/** An `if:` condition: with or without `${{ }}`; a step without one runs only while the job succeeds. */
export function condition(text: string | undefined, ctx: ExpressionContext): boolean {
  if (text === undefined) return ctx.jobStatus === "success";
  const source = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text)?.[1] ?? text;
  const usesStatus = /\b(always|success|failure|cancelled)\(/.test(source);
  const value = truthy(evaluate(source, ctx));
  return usesStatus ? value : value && ctx.jobStatus === "success";
}

export const asString = asText;
