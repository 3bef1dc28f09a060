import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { GradeResult } from "../grading/grade-result.ts";
import { repoRoot } from "../paths.ts";

/** A score at a moment. */
export interface ScoreRecord {
  score: number;
  status: GradeResult["status"];
  at: string;
}

/** What we remember of one challenge. */
export interface ChallengeProgress {
  /** Last known status of each stage, from any grade of the learner's own code (full or --stage). */
  stages: Record<string, "passed" | "failed" | "skipped">;
  /** Full grades only. */
  best?: ScoreRecord;
  last?: ScoreRecord;
  /** How many hints of each stage were shown. */
  hintsSeen: Record<string, number>;
}

interface ProgressFile {
  version: 1;
  challenges: Record<string, ChallengeProgress>;
}

export const defaultProgressPath = path.join(repoRoot, ".katas", "progress.json");

function empty(): ProgressFile {
  return { version: 1, challenges: {} };
}

function isProgressFile(value: unknown): value is ProgressFile {
  const candidate = value as ProgressFile;
  return typeof candidate === "object" && candidate !== null && candidate.version === 1 && typeof candidate.challenges === "object" && candidate.challenges !== null;
}

/**
 * `.katas/progress.json`: each challenge's stages, best and last score, hints seen.
 * A corrupt or older file is set aside with a warning and progress starts afresh.
 */
export class ProgressStore {
  private data: ProgressFile;
  /** Set when the file could not be read as progress. */
  readonly warning?: string;

  constructor(readonly file: string = process.env.KATAS_PROGRESS_FILE ?? defaultProgressPath) {
    if (!existsSync(file)) {
      this.data = empty();
      return;
    }
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
      if (!isProgressFile(parsed)) throw new Error("not a version 1 progress file");
      this.data = parsed;
      for (const progress of Object.values(this.data.challenges)) {
        progress.stages ??= {};
        progress.hintsSeen ??= {};
      }
    } catch (error) {
      const aside = `${file}.unreadable-${Date.now()}`;
      try {
        renameSync(file, aside);
      } catch {
        // leave it; we will overwrite it on save
      }
      this.data = empty();
      this.warning = `Progress file ${path.relative(process.cwd(), file)} could not be read (${(error as Error).message}); starting afresh. The old file was kept as ${path.basename(aside)}.`;
    }
  }

  get(slug: string): ChallengeProgress {
    return (this.data.challenges[slug] ??= { stages: {}, hintsSeen: {} });
  }

  /** Remembers a grade of the learner's own code. */
  recordGrade(result: GradeResult): void {
    const progress = this.get(result.challenge.slug);
    for (const stage of result.stages) progress.stages[stage.slug] = stage.status;
    if (!result.stageFilter && result.status !== "error") {
      const record: ScoreRecord = { score: result.score, status: result.status, at: new Date().toISOString() };
      progress.last = record;
      if (!progress.best || record.score > progress.best.score || (record.status === "pass" && progress.best.status !== "pass")) progress.best = record;
    }
    this.save();
  }

  markHintSeen(slug: string, stage: string, count: number): void {
    this.get(slug).hintsSeen[stage] = count;
    this.save();
  }

  reset(slug: string): void {
    delete this.data.challenges[slug];
    this.save();
  }

  private save(): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.data, null, 2)}\n`);
    renameSync(temp, this.file);
  }
}
