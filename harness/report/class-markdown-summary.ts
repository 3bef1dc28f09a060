import { entryKey, submissionTotal, type ClassTable } from "../classroom/class-table.ts";

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;

function cell(text: string): string {
  return text.replace(/\r?\n+/g, " ").replace(/[\\`*_[\]<>#~|]/g, (char) => `\\${char}`).replace(/&/g, "&amp;").trim();
}

/**
 * The class table for `$GITHUB_STEP_SUMMARY`: one row per submission, each challenge's
 * score (earned/points, ⚠️ when partial) and the total; the stage detail is in the HTML.
 */
export function toClassMarkdownSummary(table: ClassTable): string {
  const header = ["Submission", ...table.challenges.map((challenge) => `\`${challenge.slug}\``), "Total"];
  const rows = table.submissions.map((submission) => {
    const scores = table.challenges.map((challenge) => {
      const entry = table.entries.get(entryKey(submission, challenge.slug));
      if (!entry) return "no report";
      if (entry.status === "error") return "❌ not graded";
      return `${entry.status === "pass" ? "✅ " : ""}${entry.score}% (${entry.earned}/${entry.points})${entry.partial ? " ⚠️" : ""}`;
    });
    const total = submissionTotal(table, submission);
    return [cell(submission), ...scores, `${total.earned}/${total.points}`];
  });
  const align = header.map((_, index) => (index === 0 ? "---" : "---:"));
  return [
    "## Backend Katas class report",
    "",
    `${plural(table.submissions.length, "submission")} × ${plural(table.challenges.length, "challenge")}. Stages per submission: the \`class-report\` artifact (HTML and CSV).`,
    "",
    ...[header, align, ...rows].map((row) => `| ${row.join(" | ")} |`),
    "",
  ].join("\n");
}
