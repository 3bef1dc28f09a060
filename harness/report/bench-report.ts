import type { BenchReport } from "../bench/run-bench.ts";

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((_, column) => Math.max(header[column]!.length, ...rows.map((cells) => cells[column]!.length)));
  const format = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ");
  return [format(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(format)];
}

const seconds = (value: number) => value.toFixed(2);
const rate = (value: number) => Math.round(value).toLocaleString("en-US");

/** `npm run bench` as plain text: the machine, grade latency, throughput, and the design's targets. */
export function renderBenchReport(report: BenchReport): string {
  const m = report.machine;
  const lines = [`Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}`, ""];
  if (report.grade.length > 0) {
    lines.push("Grade latency (seconds, median / min / max over runs; ratio to the floor; for regrades, the median time of the slowest stage's own tests and the rest, the harness's share)");
    lines.push(
      ...table(
        ["measurement", "median", "min", "max", "× floor", "tests", "harness"],
        report.grade.map((row) => [
          row.kind === "floor" ? "floor (node + tsx + empty vitest run)" : `${row.challenge} ${row.kind === "stage" ? `watch, stage ${row.stage}` : row.kind} (${row.provider})`,
          seconds(row.seconds.median),
          seconds(row.seconds.min),
          seconds(row.seconds.max),
          row.ratioToFloor === undefined ? "" : `${row.ratioToFloor.toFixed(2)}×`,
          row.testsSeconds ? seconds(row.testsSeconds.median) : "",
          row.testsSeconds ? seconds(Math.max(0, row.seconds.median - row.testsSeconds.median)) : "",
        ]),
      ),
      "",
    );
  }
  if (report.throughput.length > 0 || report.unmeasured.length > 0) {
    lines.push("Reference throughput against its store's limit (median of runs, same client and concurrency)");
    lines.push(
      ...table(
        ["challenge", "reference", "limit", "ratio"],
        report.throughput.map((row) => [
          `${row.challenge} (concurrency ${row.concurrency})`,
          `${rate(row.reference.median)} ${row.unit} ${row.referenceName}`,
          `${rate(row.limit.median)} ${row.unit} ${row.limitName}`,
          `${row.ratio.toFixed(2)}×`,
        ]),
      ),
    );
    for (const slug of report.unmeasured) lines.push(`${slug}: no throughput comparison yet`);
    lines.push("");
  }
  if (report.failures.length > 0) {
    lines.push("Not measured");
    for (const failure of report.failures) lines.push(`- ${failure}`);
    lines.push("");
  }
  if (report.targets.length > 0) {
    lines.push("Targets");
    for (const check of report.targets) lines.push(`${check.met ? "met   " : "MISSED"} ${check.target}: ${check.measured}`);
  }
  return lines.join("\n");
}
