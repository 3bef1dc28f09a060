import { entryKey, submissionTotal, type ClassTable } from "../classroom/class-table.ts";
import { gradeLabel } from "./html-report.ts";
import { escapeHtml as e, htmlPage } from "./html-text.ts";

const classStyle = `
table.class th, table.class td { text-align: center; white-space: nowrap; }
table.class th.who, table.class td.who { text-align: left; position: sticky; left: 0; background: Canvas; }
table.class .group { border-left: 2px solid var(--line); }
td.missing { color: var(--muted); }
`;

function percent(part: number, whole: number): string {
  return whole === 0 ? "—" : `${Math.floor((part / whole) * 100)}%`;
}

/**
 * The class report: one row per submission, a column per stage of every challenge
 * (earned/points) and each challenge's score, the total, and how many passed each stage.
 */
export function toClassHtmlReport(table: ClassTable, generatedAt: Date = new Date()): string {
  const head1 = [`<th class="who" rowspan="2">Submission</th>`, ...table.challenges.map((challenge) => `<th class="group" colspan="${challenge.stages.length + 1}">${e(challenge.title)} <span class="muted">(${e(challenge.slug)})</span></th>`), `<th class="group" rowspan="2">Total</th>`];
  const head2 = table.challenges.flatMap((challenge) => [
    ...challenge.stages.map((stage, index) => `<th${index === 0 ? ' class="group"' : ""} title="${e(stage.title)}">${e(stage.slug)}<br><span class="muted">${stage.points} pts</span></th>`),
    `<th${challenge.stages.length === 0 ? ' class="group"' : ""}>Score</th>`,
  ]);
  const rows = table.submissions.map((submission) => {
    const cells = table.challenges.flatMap((challenge) => {
      const entry = table.entries.get(entryKey(submission, challenge.slug));
      if (!entry) return [`<td class="missing group" colspan="${challenge.stages.length + 1}">no report</td>`];
      if (entry.status === "error") return [`<td class="fail group" colspan="${challenge.stages.length + 1}" title="${e(entry.error ?? "")}">not graded</td>`];
      const stageCells = challenge.stages.map((stage, index) => {
        const cell = entry.stages.find((candidate) => candidate.slug === stage.slug);
        const group = index === 0 ? " group" : "";
        if (!cell) return `<td class="missing${group}">—</td>`;
        const tone = cell.status === "passed" ? "pass" : cell.status === "skipped" ? "warn" : "fail";
        return `<td class="${tone}${group}">${cell.earned}/${cell.points}</td>`;
      });
      const label = gradeLabel(entry, entry.partial && entry.stages.every((stage) => stage.status !== "failed"));
      return [...stageCells, `<td class="${label.tone}${challenge.stages.length === 0 ? " group" : ""}" title="${label.text}"><strong>${entry.score}%</strong>${entry.partial ? " ⚠" : ""}</td>`];
    });
    const total = submissionTotal(table, submission);
    return `<tr><td class="who">${e(submission)}</td>${cells.join("")}<td class="group"><strong>${percent(total.earned, total.points)}</strong><br><span class="muted">${total.earned}/${total.points}</span></td></tr>`;
  });
  const passedRow = table.challenges.flatMap((challenge) => {
    const graded = table.submissions.map((submission) => table.entries.get(entryKey(submission, challenge.slug))).filter((entry) => entry && entry.status !== "error");
    return [
      ...challenge.stages.map((stage, index) => {
        const passed = graded.filter((entry) => entry!.stages.some((cell) => cell.slug === stage.slug && cell.status === "passed")).length;
        return `<td class="muted${index === 0 ? " group" : ""}">${passed}/${graded.length}</td>`;
      }),
      `<td class="muted${challenge.stages.length === 0 ? " group" : ""}">${graded.filter((entry) => entry!.status === "pass").length}/${graded.length}</td>`,
    ];
  });
  const body = [
    `<h1>Backend Katas class report</h1>`,
    `<p class="meta">${table.submissions.length} submission${table.submissions.length === 1 ? "" : "s"} × ${table.challenges.length} challenge${table.challenges.length === 1 ? "" : "s"}. A cell is the points earned in that stage; ⚠ marks a partial grade (tests skipped, e.g. no fault injection with <code>--services url</code>).</p>`,
    `<div class="scroll"><table class="class"><thead><tr>${head1.join("")}</tr><tr>${head2.join("")}</tr></thead><tbody>`,
    ...rows,
    `</tbody><tfoot><tr><td class="who muted">passed</td>${passedRow.join("")}<td class="group"></td></tr></tfoot></table></div>`,
    ...(table.warnings.length > 0 ? [`<h2 class="warn">Warnings</h2>`, `<ul>${table.warnings.map((warning) => `<li>${e(warning)}</li>`).join("")}</ul>`] : []),
    `<footer>Backend Katas class report · generated ${e(generatedAt.toISOString())} · merged with <code>npm run report -- merge</code>.</footer>`,
  ];
  return htmlPage("Backend Katas class report", body).replace("</style>", `${classStyle}</style>`);
}
