import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.ts";
import type { ClassEntry } from "./class-table.ts";

/** The fields of a `--json` report the class table reads. */
interface JsonGrade {
  status?: string;
  challenge?: { slug?: string; title?: string };
  score?: number;
  earned?: number;
  points?: number;
  partial?: boolean;
  message?: string | null;
  submission?: string;
  environment?: { submission?: string } | null;
  stages?: { slug: string; title?: string; status?: string; earned?: number; points?: number }[];
  results?: JsonGrade[];
  tests?: unknown[];
}

function jsonFiles(target: string): string[] {
  const stat = statSync(target, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`${target}: no such file or folder.`, "Pass the --json reports, or folders that hold them (downloaded artifacts).");
  if (stat.isFile()) return [target];
  return readdirSync(target, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((item) => {
      const full = path.join(target, item.name);
      if (item.isDirectory()) return jsonFiles(full);
      return item.isFile() && item.name.endsWith(".json") ? [full] : [];
    });
}

function toEntry(grade: JsonGrade, source: string): ClassEntry | undefined {
  const slug = grade.challenge?.slug;
  if (!slug || !Array.isArray(grade.tests)) return undefined;
  // A report written without --submission is named after the folder it sits in (an artifact's name).
  const submission = grade.environment?.submission ?? grade.submission ?? path.basename(path.dirname(path.resolve(source)));
  const status = grade.status === "pass" || grade.status === "error" ? grade.status : "fail";
  return {
    submission,
    challenge: { slug, title: grade.challenge?.title ?? slug },
    status,
    partial: grade.partial ?? false,
    score: grade.score ?? 0,
    earned: grade.earned ?? 0,
    points: grade.points ?? 0,
    stages: (grade.stages ?? []).map((stage) => ({
      slug: stage.slug,
      title: stage.title ?? stage.slug,
      status: stage.status === "passed" || stage.status === "skipped" ? stage.status : "failed",
      earned: stage.earned ?? 0,
      points: stage.points ?? 0,
    })),
    ...(status === "error" ? { error: grade.message ?? "could not be graded" } : {}),
    source,
  };
}

/**
 * Reads every `--json` report under the given files and folders (a one-challenge report,
 * an `--all` report, or the error report of a grade that could not run). JSON files that
 * are not grade reports are skipped with a warning.
 */
export function loadReports(targets: readonly string[]): { entries: ClassEntry[]; warnings: string[] } {
  const entries: ClassEntry[] = [];
  const warnings: string[] = [];
  for (const file of targets.flatMap(jsonFiles)) {
    let parsed: JsonGrade;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8")) as JsonGrade;
    } catch (error) {
      warnings.push(`${file}: not JSON (${(error as Error).message}); skipped`);
      continue;
    }
    // GitHub Classroom's result (--classroom) often sits beside the JSON report.
    if ((parsed as { max_score?: unknown }).max_score !== undefined) continue;
    const grades = Array.isArray(parsed.results) ? parsed.results.map((grade) => ({ submission: parsed.submission, ...grade })) : [parsed];
    const found = grades.map((grade) => toEntry(grade, file)).filter((entry): entry is ClassEntry => entry !== undefined);
    if (found.length === 0) warnings.push(`${file}: not a grade report; skipped`);
    entries.push(...found);
  }
  return { entries, warnings };
}
