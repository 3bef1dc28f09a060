import type { LoadedChallenge } from "../challenges/load-challenge.ts";
import type { ProgressStore, ScoreRecord } from "../progress/progress-store.ts";

/** One row of `npm run challenges`. */
export interface BoardRow {
  slug: string;
  title: string;
  difficulty: string;
  services: string[];
  stagesPassed: number;
  stagesTotal: number;
  best?: ScoreRecord;
  last?: ScoreRecord;
  /** The command to run next. */
  next: string;
}

/** Where the learner stands on every challenge, and what to run next. */
export function buildBoard(challenges: LoadedChallenge[], store: ProgressStore): BoardRow[] {
  return challenges.map((challenge) => {
    const progress = store.get(challenge.slug);
    const passed = challenge.stages.filter((stage) => progress.stages[stage.slug] === "passed");
    const firstOpen = challenge.stages.find((stage) => progress.stages[stage.slug] !== "passed");
    const graded = Object.keys(progress.stages).length > 0;
    const next = !graded
      ? `npm run grade ${challenge.slug}`
      : firstOpen
        ? `npm run grade ${challenge.slug} -- --stage ${firstOpen.slug}`
        : progress.best?.status === "pass"
          ? `npm run solution ${challenge.slug}`
          : `npm run grade ${challenge.slug}`;
    return {
      slug: challenge.slug,
      title: challenge.title,
      difficulty: challenge.difficulty,
      services: challenge.services,
      stagesPassed: passed.length,
      stagesTotal: challenge.stages.length,
      best: progress.best,
      last: progress.last,
      next,
    };
  });
}
