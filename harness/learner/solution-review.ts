import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { LoadedChallenge } from "../challenges/load-challenge.ts";
import { repoRoot } from "../paths.ts";
import type { ChallengeProgress } from "../progress/progress-store.ts";

/** A known mistake, as `npm run solution` lists it. */
export interface MistakeSummary {
  file: string;
  summary: string;
  mustFail: string[];
}

export type SolutionReview =
  | { kind: "locked"; bestScore: number | undefined; slug: string }
  | { kind: "review"; notes: string; referencePath: string; learnerPath: string; diff: string; mistakes: MistakeSummary[] };

/** The first sentence of a file's leading doc comment, "Mistake:" dropped. */
function leadingSummary(source: string): string {
  const comment = /\/\*\*([\s\S]*?)\*\//.exec(source)?.[1] ?? "";
  const text = comment
    .split("\n")
    .map((line) => line.replace(/^\s*\*\s?/, "").trim())
    .filter(Boolean)
    .join(" ")
    .replace(/^Mistake:\s*/i, "");
  const sentence = /^(.*?\.)(\s|$)/.exec(text)?.[1] ?? text;
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

async function listMistakes(dir: string): Promise<MistakeSummary[]> {
  if (!existsSync(dir)) return [];
  const mistakes: MistakeSummary[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".ts")).sort()) {
    const full = path.join(dir, file);
    const module = (await import(pathToFileURL(full).href)) as { mustFail?: string[] };
    if (!Array.isArray(module.mustFail)) continue;
    mistakes.push({ file: path.relative(repoRoot, full), summary: leadingSummary(readFileSync(full, "utf8")), mustFail: module.mustFail });
  }
  return mistakes;
}

/** A unified diff of the learner's entry file against the reference (git if present, else diff). */
function unifiedDiff(learner: string, reference: string): string {
  const relLearner = path.relative(repoRoot, learner);
  const relReference = path.relative(repoRoot, reference);
  for (const [command, args] of [
    ["git", ["diff", "--no-index", "--no-color", "--", relLearner, relReference]],
    ["diff", ["-u", relLearner, relReference]],
  ] as const) {
    const result = spawnSync(command, args, { cwd: repoRoot, encoding: "utf8" });
    if (result.error) continue;
    return result.stdout || "(the files are identical)";
  }
  return "(no diff tool found: install git to see the diff)";
}

/** The reference walk-through, gated on a passing grade unless forced. */
export async function reviewSolution(challenge: LoadedChallenge, progress: ChallengeProgress, force: boolean): Promise<SolutionReview> {
  if (!force && progress.best?.status !== "pass") return { kind: "locked", bestScore: progress.best?.score, slug: challenge.slug };
  const solutionDir = path.dirname(challenge.referencePath);
  const notesPath = path.join(solutionDir, "NOTES.md");
  return {
    kind: "review",
    notes: existsSync(notesPath) ? readFileSync(notesPath, "utf8") : "(no notes yet)",
    referencePath: path.relative(repoRoot, challenge.referencePath),
    learnerPath: path.relative(repoRoot, challenge.entryPath),
    diff: unifiedDiff(challenge.entryPath, challenge.referencePath),
    mistakes: await listMistakes(path.join(solutionDir, "mistakes")),
  };
}
