import type { LoadedChallenge } from "../challenges/load-challenge.ts";
import type { ChallengeProgress } from "../progress/progress-store.ts";

/** The hint `npm run hint` shows, or why there is none. */
export type HintLookup =
  | { kind: "hint"; stage: string; stageTitle: string; index: number; total: number; text: string; earlier: string[] }
  | { kind: "all-passed" }
  | { kind: "none-for-stage"; stage: string; stageTitle: string };

/** The next unseen hint of the first stage that has not passed; once all are seen, the last one again with the earlier ones. */
export function nextHint(challenge: LoadedChallenge, progress: ChallengeProgress): HintLookup {
  const stage = challenge.stages.find((candidate) => progress.stages[candidate.slug] !== "passed");
  if (!stage) return { kind: "all-passed" };
  const hints = stage.hints ?? [];
  if (hints.length === 0) return { kind: "none-for-stage", stage: stage.slug, stageTitle: stage.title };
  const seen = progress.hintsSeen[stage.slug] ?? 0;
  const index = Math.min(seen, hints.length - 1);
  return { kind: "hint", stage: stage.slug, stageTitle: stage.title, index: index + 1, total: hints.length, text: hints[index]!, earlier: hints.slice(0, index) };
}
