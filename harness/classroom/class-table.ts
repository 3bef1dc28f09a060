/** One stage of one submission's grade, as a class table shows it. */
export interface ClassStageCell {
  slug: string;
  title: string;
  status: "passed" | "failed" | "skipped";
  earned: number;
  points: number;
}

/** One submission's grade of one challenge, read from its JSON report. */
export interface ClassEntry {
  submission: string;
  challenge: { slug: string; title: string };
  status: "pass" | "fail" | "error";
  partial: boolean;
  score: number;
  earned: number;
  points: number;
  stages: ClassStageCell[];
  /** Why it could not be graded (status error). */
  error?: string;
  /** The file it came from. */
  source: string;
}

/** A challenge's columns: its stages in order, with the points each is worth. */
export interface ClassColumn {
  slug: string;
  title: string;
  points: number;
  stages: { slug: string; title: string; points: number }[];
}

/** Submissions x challenges (x stages), ready to render as HTML or CSV. */
export interface ClassTable {
  submissions: string[];
  challenges: ClassColumn[];
  entries: Map<string, ClassEntry>;
  /** Duplicates and unreadable files, for the person merging. */
  warnings: string[];
}

export const entryKey = (submission: string, challenge: string): string => `${submission}\u0000${challenge}`;

/**
 * Builds the class table from every report: one row per submission (sorted), one column
 * group per challenge with the stages of its fullest report. A later report of the same
 * submission and challenge replaces an earlier one, with a warning.
 */
export function buildClassTable(entries: ClassEntry[], warnings: string[] = []): ClassTable {
  const table: ClassTable = { submissions: [], challenges: [], entries: new Map(), warnings: [...warnings] };
  for (const entry of entries) {
    const key = entryKey(entry.submission, entry.challenge.slug);
    const previous = table.entries.get(key);
    if (previous) table.warnings.push(`${entry.submission} × ${entry.challenge.slug} appears twice (${previous.source}, ${entry.source}); keeping ${entry.source}`);
    table.entries.set(key, entry);
  }
  const columns = new Map<string, ClassColumn>();
  for (const entry of table.entries.values()) {
    const known = columns.get(entry.challenge.slug);
    // A --stage grade or a harness error has fewer stages: the fullest report defines the columns.
    if (!known || entry.stages.length > known.stages.length || (known.title === known.slug && entry.challenge.title !== entry.challenge.slug)) {
      const stages = entry.stages.length >= (known?.stages.length ?? 0) ? entry.stages.map(({ slug, title, points }) => ({ slug, title, points })) : known!.stages;
      columns.set(entry.challenge.slug, { slug: entry.challenge.slug, title: entry.challenge.title, stages, points: stages.reduce((sum, stage) => sum + stage.points, 0) });
    }
  }
  table.challenges = [...columns.values()].sort((a, b) => a.slug.localeCompare(b.slug));
  table.submissions = [...new Set([...table.entries.values()].map((entry) => entry.submission))].sort((a, b) => a.localeCompare(b));
  return table;
}

/** Points a submission earned across every challenge of the class, over the points available. */
export function submissionTotal(table: ClassTable, submission: string): { earned: number; points: number } {
  let earned = 0;
  let points = 0;
  for (const challenge of table.challenges) {
    const entry = table.entries.get(entryKey(submission, challenge.slug));
    earned += entry?.earned ?? 0;
    points += challenge.points;
  }
  return { earned, points };
}
