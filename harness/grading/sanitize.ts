import path from "node:path";

/** What to hide from messages: where the learner's code and the harness live. */
export interface SanitizeContext {
  implPath: string;
  repoRoot: string;
}

const maxMessageChars = 1500;
const ansi = /\u001b\[[0-9;]*m/g;

/** Strips colour codes, hides absolute paths, keeps only the learner's own stack frames, caps length. */
export function sanitizeMessage(text: string, context: SanitizeContext): string {
  let out = text.replace(ansi, "");
  const implDir = path.dirname(context.implPath);
  out = out.split(implDir + path.sep).join("<solution>/");
  out = out.split(context.repoRoot + path.sep).join("");
  out = out.replace(/file:\/\/<solution>/g, "<solution>");
  return cap(out, maxMessageChars);
}

/** The stack frames worth showing: the learner's code, never the harness or node_modules. */
export function learnerFrames(stack: string | undefined, context: SanitizeContext): string[] {
  if (!stack) return [];
  const implDir = path.dirname(context.implPath);
  return stack
    .split("\n")
    .filter((line) => /^\s+at /.test(line) && line.includes(implDir) && !line.includes("node_modules"))
    .slice(0, 3)
    .map((line) => sanitizeMessage(line.trim(), context));
}

export function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
