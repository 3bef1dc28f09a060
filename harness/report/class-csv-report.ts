import { entryKey, submissionTotal, type ClassTable } from "../classroom/class-table.ts";

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a leading
 * =, +, - or @ is prefixed with ' so a spreadsheet never runs a submission's name as a formula.
 */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The class report for spreadsheets: one row per submission; for each challenge its
 * status, score (%), earned and available points, then the points earned in each stage;
 * then the total. A challenge without a report has empty cells and status `missing`. Status is passed, partial
 * (only skipped tests kept it from passing), not passed, not graded or missing.
 */
export function toClassCsv(table: ClassTable): string {
  const header = ["submission"];
  for (const challenge of table.challenges) {
    header.push(`${challenge.slug} status`, `${challenge.slug} score %`, `${challenge.slug} earned`, `${challenge.slug} points`);
    header.push(...challenge.stages.map((stage) => `${challenge.slug}/${stage.slug}`));
  }
  header.push("total earned", "total points", "total %");
  const rows = table.submissions.map((submission) => {
    const row: (string | number)[] = [submission];
    for (const challenge of table.challenges) {
      const entry = table.entries.get(entryKey(submission, challenge.slug));
      if (!entry) {
        row.push("missing", "", "", challenge.points, ...challenge.stages.map(() => ""));
        continue;
      }
      // partial: only skipped tests (no fault injection with --services url) kept it from passing.
      const onlySkips = entry.partial && entry.stages.every((stage) => stage.status !== "failed");
      const status = entry.status === "error" ? "not graded" : entry.status === "pass" ? "passed" : onlySkips ? "partial" : "not passed";
      row.push(status, entry.status === "error" ? "" : entry.score, entry.status === "error" ? "" : entry.earned, challenge.points);
      row.push(...challenge.stages.map((stage) => entry.stages.find((cell) => cell.slug === stage.slug)?.earned ?? ""));
    }
    const total = submissionTotal(table, submission);
    row.push(total.earned, total.points, total.points === 0 ? "" : Math.floor((total.earned / total.points) * 100));
    return row;
  });
  return [header, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}
