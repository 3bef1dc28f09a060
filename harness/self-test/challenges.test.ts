import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { listChallengeSlugs, loadChallenge } from "../challenges/load-challenge.ts";
import { notPassed, runCli } from "./run-cli.ts";

/**
 * A mistake is the reference with one flaw, so it is graded on the stages its declared
 * failures are in, plus one other stage sampled per day (so a week of runs covers every
 * stage). KATAS_SELFTEST_SEED picks another sample; KATAS_SELFTEST_FULL=1 grades every stage.
 */
const sampleSeed = Number(process.env.KATAS_SELFTEST_SEED ?? Math.floor(Date.now() / 86_400_000));
const fullMistakeGrades = process.env.KATAS_SELFTEST_FULL === "1";

function stagesToGrade(file: string, declared: string[], stages: string[]): string[] | undefined {
  if (fullMistakeGrades) return undefined;
  const own = new Set(declared.map((id) => id.slice(0, id.indexOf("."))));
  const others = stages.filter((stage) => !own.has(stage));
  const hash = [...file].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) >>> 0, 0);
  const sample = others.length > 0 ? [others[(hash + sampleSeed) % others.length]!] : [];
  return stages.filter((stage) => own.has(stage) || sample.includes(stage));
}

/** Proves every hidden suite fair (the reference passes) and sharp (the stub and each mistake fail as declared). */
for (const slug of listChallengeSlugs()) {
  describe(slug, async () => {
    const challenge = await loadChallenge(slug);
    const solutionDir = path.dirname(challenge.referencePath);
    // A file in mistakes/ that exports no mustFail is a shared helper, not a mistake.
    const mistakeFiles = readdirSync(path.join(solutionDir, "mistakes")).filter((file) => file.endsWith(".ts"));
    const mistakes = (
      await Promise.all(
        mistakeFiles.map(async (file) => {
          const module = (await import(pathToFileURL(path.join(solutionDir, "mistakes", file)).href)) as { mustFail?: string[]; mayFail?: string[] };
          return { file, mustFail: module.mustFail, mayFail: module.mayFail ?? [] };
        }),
      )
    )
      .filter((mistake): mistake is { file: string; mustFail: string[]; mayFail: string[] } => Array.isArray(mistake.mustFail))
      .map((mistake) => {
        const stages = stagesToGrade(mistake.file, [...mistake.mustFail, ...mistake.mayFail], challenge.stages.map((stage) => stage.slug));
        return { ...mistake, stages, graded: stages?.join(",") ?? "every stage" };
      });

    test("there are at least six known mistakes", () => {
      expect(mistakes.map((mistake) => mistake.file).length).toBeGreaterThanOrEqual(6);
    });

    test("the stage table matches the hidden files, and every test id belongs to its file's stage", () => {
      const files = readdirSync(challenge.hiddenDir).filter((file) => file.endsWith(".test.ts")).sort();
      expect(files).toEqual(challenge.stages.map((stage) => `${stage.slug}.test.ts`).sort());
      for (const stage of challenge.stages) {
        const source = readFileSync(challenge.stageFiles.get(stage.slug)!, "utf8");
        const ids = [...source.matchAll(/graded\(\s*"([^"]+)"/g)].map((match) => match[1]!);
        expect(ids.length, `graded tests in ${stage.slug}.test.ts`).toBeGreaterThan(0);
        for (const id of ids) expect(id.startsWith(`${stage.slug}.`), `${id} in ${stage.slug}.test.ts`).toBe(true);
        expect(new Set(ids).size, "test ids are unique").toBe(ids.length);
      }
    });

    test("the untouched stub scores 0 with every test not-implemented", async () => {
      const run = await runCli(["grade", slug], { json: true });
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.json?.score).toBe(0);
      expect(run.json?.tests.length).toBeGreaterThan(0);
      expect(run.json?.tests.filter((t) => t.verdict !== "not-implemented")).toEqual([]);
      expect(run.stdout).toContain("not implemented yet");
      expect(run.stdout).not.toMatch(/\n\s+at /); // no stack traces
    });

    // Four here; .ci/run grades every reference once more in containers, so five per CI run.
    test("the reference scores 100%, four grades in a row", async () => {
      for (let round = 1; round <= 4; round++) {
        const run = await runCli(["grade", slug, "--impl", challenge.referencePath], { json: true });
        expect({ round, code: run.code, failing: notPassed(run.json), errors: run.json?.run_errors }, run.stdout + run.stderr).toEqual({ round, code: 0, failing: [], errors: [] });
        expect(run.json?.score).toBe(100);
      }
    });

    // Correct designs other than the reference's (state in another store, another algorithm): the suite must grade the contract, not one implementation.
    const variantsDir = path.join(solutionDir, "variants");
    const variants = existsSync(variantsDir) ? readdirSync(variantsDir).filter((file) => file.endsWith(".ts")) : [];
    if (variants.length > 0) {
      test.each(variants)("correct variant %s scores 100%", async (file) => {
        const run = await runCli(["grade", slug, "--impl", path.join(variantsDir, file)], { json: true });
        expect({ code: run.code, failing: notPassed(run.json), errors: run.json?.run_errors }, run.stdout + run.stderr).toEqual({ code: 0, failing: [], errors: [] });
      });
    }

    test.each(mistakes)("mistake $file fails exactly the tests it declares ($graded)", async ({ file, mustFail, mayFail, stages }) => {
      expect(mustFail.length, `${file} must declare at least one test`).toBeGreaterThan(0);
      const run = await runCli(["grade", slug, "--impl", path.join(solutionDir, "mistakes", file), ...(stages ? ["--stage", stages.join(",")] : [])], { json: true });
      expect(run.code, run.stdout + run.stderr).toBe(1);
      const failing = notPassed(run.json);
      expect(failing.filter((id) => !mustFail.includes(id) && !mayFail.includes(id)), `${file} fails tests it does not declare`).toEqual([]);
      expect(mustFail.filter((id) => !failing.includes(id)), `${file} passes tests it declares it fails`).toEqual([]);
      for (const test of run.json!.tests.filter((t) => mustFail.includes(t.id))) {
        expect(test.message, `${test.id} explains why`).toBeTruthy();
      }
    });
  });
}
