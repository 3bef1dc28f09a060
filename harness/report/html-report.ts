import type { GradedTest, GradeResult, PerformanceComparison, StageResult, Verdict } from "../grading/grade-result.ts";
import { escapeHtml as e, htmlPage } from "./html-text.ts";
import { formatMs, verdictLabel } from "./verdict-text.ts";

/** PASSED, NOT PASSED, PARTIAL (only skips kept it from passing) or NOT GRADED. */
export function gradeLabel(result: Pick<GradeResult, "status" | "partial">, onlySkipsFailed: boolean): { text: string; tone: "pass" | "fail" | "warn" } {
  if (result.status === "pass") return { text: "PASSED", tone: "pass" };
  if (result.status === "error") return { text: "NOT GRADED", tone: "fail" };
  if (result.partial && onlySkipsFailed) return { text: "PARTIAL", tone: "warn" };
  return { text: "NOT PASSED", tone: "fail" };
}

const allTests = (result: GradeResult): GradedTest[] => result.stages.flatMap((stage) => stage.tests);

function label(result: GradeResult): { text: string; tone: "pass" | "fail" | "warn" } {
  const onlySkips = result.runErrors.length === 0 && allTests(result).every((test) => test.verdict === "passed" || test.verdict === "skipped");
  return gradeLabel(result, onlySkips);
}

function stageTone(stage: StageResult): string {
  return stage.status === "passed" ? "pass" : stage.status === "skipped" ? "warn" : "fail";
}

function stageMark(stage: StageResult): string {
  return stage.status === "passed" ? "✓" : stage.status === "skipped" ? "○" : "✗";
}

function testBlock(test: GradedTest): string {
  const kind = test.verdict === "skipped" ? "skipped" : "failed";
  const parts = [
    `<div class="test ${kind}">`,
    `<h3><code>${e(test.id)}</code> <span class="${kind === "skipped" ? "warn" : "fail"}">${e(verdictLabel[test.verdict])}</span> <span class="muted">${test.earned}/${test.points} pts · ${e(formatMs(test.durationMs))}</span></h3>`,
  ];
  if (test.message && test.verdict !== "not-implemented") parts.push(`<pre>${e(test.message)}</pre>`);
  if (test.expected !== undefined) parts.push(`<p><span class="label pass">Expected:</span> <code>${e(test.expected)}</code></p>`);
  if (test.actual !== undefined) parts.push(`<p><span class="label fail">Received:</span> <code>${e(test.actual)}</code></p>`);
  if (test.hint && test.verdict !== "not-implemented") parts.push(`<p><span class="label">Hint:</span> ${e(test.hint)}</p>`);
  if (test.output) parts.push(`<p class="label">Your code printed:</p><pre>${e(test.output.trimEnd())}</pre>`);
  parts.push("</div>");
  return parts.join("\n");
}

function stageSection(stage: StageResult, index: number): string[] {
  const rows = stage.tests.map(
    (test) =>
      `<tr><td class="${test.verdict === "passed" ? "pass" : test.verdict === "skipped" ? "warn" : "fail"}">${e(verdictLabel[test.verdict])}</td><td><code>${e(test.id)}</code></td><td class="num">${test.earned}/${test.points}</td><td class="num time">${e(formatMs(test.durationMs))}</td></tr>`,
  );
  return [
    `<section class="stage">`,
    `<h2><span class="${stageTone(stage)}">${stageMark(stage)}</span> ${index + 1}. ${e(stage.title)} <span class="muted">[${e(stage.slug)}] ${stage.earned}/${stage.points}</span></h2>`,
    stage.summary ? `<p class="meta">${e(stage.summary)}</p>` : "",
    `<div class="scroll"><table><thead><tr><th>Verdict</th><th>Test</th><th class="num">Points</th><th class="num time">Time</th></tr></thead><tbody>`,
    ...rows,
    `</tbody></table></div>`,
    // The table already says "not implemented"; a block each would bury the real failures.
    ...stage.tests.filter((test) => test.verdict !== "passed" && test.verdict !== "not-implemented").map(testBlock),
    `</section>`,
  ].filter(Boolean);
}

function throughput(p: PerformanceComparison): string {
  const rate = (value: number) => `${Math.round(value).toLocaleString("en-US")} ${p.unit}`;
  const mine = p.learner === null ? `not measured (${p.error ?? "failed"})` : rate(p.learner);
  const ratio = p.ratio === null ? "" : ` → <strong>${p.ratio.toFixed(2)}×</strong> the reference`;
  return `<p><span class="label">Throughput</span> <span class="muted">(not graded)</span> ${e(p.name)}: yours ${e(mine)}, reference ${e(rate(p.reference))}${ratio}</p>`;
}

function environmentLine(result: GradeResult): string {
  const env = result.environment;
  if (!env) return "";
  const versions = Object.entries(env.versions).map(([name, version]) => `${name} ${version}`).join(", ");
  return `<p class="meta">${env.submission ? `Submission <strong>${e(env.submission)}</strong> · ` : ""}<code>${e(env.implementation)}</code> · ${e(versions)} · services: ${e(env.provider)}${env.providerReason ? ` (${e(env.providerReason)})` : ""}</p>`;
}

function challengeSection(result: GradeResult): string[] {
  const { text, tone } = label(result);
  const stagesPassed = result.stages.filter((stage) => stage.status === "passed").length;
  const skipped = allTests(result).filter((test) => test.verdict === "skipped");
  const lines = [
    `<header>`,
    `<h1>${e(result.challenge.title)} <span class="muted">(${e(result.challenge.slug)})</span></h1>`,
    `<p><span class="score ${tone}">${result.score}%</span> <span class="badge ${tone}">${text}</span> ${result.earned}/${result.points} points · ${stagesPassed} of ${result.stages.length} stages passed · ${e(formatMs(result.durationMs))}</p>`,
    environmentLine(result),
    `</header>`,
  ];
  if (result.partial) {
    lines.push(`<p class="warn"><strong>Partial grade:</strong> ${skipped.length} test${skipped.length === 1 ? "" : "s"} skipped${skipped[0]?.message ? `: ${e(skipped[0].message)}` : ""}. A partial grade is not a pass.</p>`);
  }
  if (result.stageFilter) lines.push(`<p class="meta">Only stage <code>${e(result.stageFilter)}</code> was graded.</p>`);
  if (result.runErrors.length > 0) {
    lines.push(`<h2 class="fail">Errors outside any test</h2>`, ...result.runErrors.map((error) => `<div class="test failed"><pre>${e(error.message)}</pre>${error.hint ? `<p><span class="label">Hint:</span> ${e(error.hint)}</p>` : ""}</div>`));
  }
  lines.push(...result.performance.map(throughput));
  if (result.nextStage && result.status !== "pass") lines.push(`<p><span class="label">Next:</span> work on <code>${e(result.nextStage)}</code> — <code>npm run grade ${e(result.challenge.slug)} -- --stage ${e(result.nextStage)}</code></p>`);
  lines.push(...result.stages.flatMap(stageSection));
  return lines;
}

/**
 * One self-contained HTML page for a grade (or several, with `--all`): stages, tests,
 * verdicts, expected/received, hints and the throughput ratio; no script and nothing
 * fetched when it is viewed.
 */
export function toHtmlReport(results: GradeResult[], generatedAt: Date = new Date()): string {
  const title = results.length === 1 ? `${results[0]!.challenge.title}: ${results[0]!.score}% · Backend Katas` : `Backend Katas: ${results.length} challenges`;
  const body: string[] = [];
  if (results.length !== 1) {
    const rows = results.map((result) => {
      const { text, tone } = label(result);
      return `<tr><td><a href="#${e(result.challenge.slug)}">${e(result.challenge.title)}</a> <span class="muted">(${e(result.challenge.slug)})</span></td><td class="${tone}">${text}</td><td class="num">${result.score}%</td><td class="num">${result.earned}/${result.points}</td></tr>`;
    });
    const passed = results.filter((result) => result.status === "pass").length;
    body.push(`<h1>Backend Katas results</h1>`, `<p>${passed} of ${results.length} challenges passed.</p>`);
    body.push(`<div class="scroll"><table><thead><tr><th>Challenge</th><th>Result</th><th class="num">Score</th><th class="num">Points</th></tr></thead><tbody>`, ...rows, `</tbody></table></div>`);
  }
  for (const result of results) body.push(`<article id="${e(result.challenge.slug)}">`, ...challengeSection(result), `</article>`);
  body.push(`<footer>Backend Katas grade report · generated ${e(generatedAt.toISOString())} · the score counts the points of passed tests; throughput is never graded.</footer>`);
  return htmlPage(title, body);
}
