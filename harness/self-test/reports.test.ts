import { describe, expect, test } from "vitest";
import type { GradeResult } from "../grading/grade-result.ts";
import { gradeRun, type GradeInput } from "../grading/grade-run.ts";
import { toJunitXml } from "../report/junit-report.ts";
import { toMarkdownSummary } from "../report/markdown-summary.ts";
import type { RawRun, RawTestResult } from "../runner/raw-run.ts";

function raw(id: string, overrides: Partial<RawTestResult> = {}): RawTestResult {
  const stage = id.split(".")[0]!;
  return { name: id, meta: { id, stage, points: 2 }, state: "passed", errors: [], durationMs: 5, output: "", fileStage: stage, ...overrides };
}

const demo: GradeInput["challenge"] = {
  slug: "demo",
  title: "Demo",
  stages: [
    { slug: "one", title: "One", summary: "" },
    { slug: "two", title: "Two", summary: "" },
  ],
};

function input(tests: RawTestResult[], extra: Partial<RawRun> = {}, challenge = demo): GradeInput {
  return {
    challenge,
    raw: { tests, unhandledErrors: [], moduleErrors: [], deadlineExceeded: false, durationMs: 100, ...extra },
    sanitize: { implPath: "/home/learner/katas/challenges/demo/src/index.ts", repoRoot: "/home/learner/katas" },
    runTimeoutMs: 60_000,
  };
}

const failure = (name: string, message: string, extra: object = {}) => ({ state: "failed" as const, errors: [{ name, message, ...extra }] });

// A bell and a cursor code survive sanitizeMessage (it strips colours only), so the renderers must cope.
const nasty = `Bad <tag> & "quotes" 'apos'\u0007 \u001b[2Kdone`;
const nastyClean = `Bad <tag> & "quotes" 'apos' done`;

/** One of every verdict, a run error, a throughput comparison and an environment. */
function mixedResult(): GradeResult {
  const measurement = raw("two.throughput", { meta: { id: "two.throughput", stage: "two", points: 0, kind: "measurement", measurement: { name: "x", unit: "ops/s", learner: 50, reference: 100 } } });
  const stack = "TypeError: x is not a function (got a | b)\n    at make (/home/learner/katas/challenges/demo/src/index.ts:3:5)";
  const result = gradeRun(
    input(
      [
        raw("one.a", { output: "hello from the learner\n" }),
        raw("one.b", { ...failure("AssertionError", nasty, { expected: "1", actual: "2" }), durationMs: 1234.4 }),
        raw("two.a", failure("TypeError", "x is not a function (got a | b)", { stack })),
        raw("two.b", { state: "skipped", note: "no faults here" }),
        raw("two.c", failure("NotImplementedError", "createThing")),
        raw("two.d", { state: "pending" }),
        measurement,
      ],
      { unhandledErrors: [{ name: "Error", message: "boom" }] },
    ),
  );
  // Colour codes and NUL never reach a GradeResult through gradeRun; a renderer must not rely on that.
  result.stages[0]!.tests[1]!.hint = "Compare \u001b[31mcarefully\u001b[39m\u0000.";
  return { ...result, environment: { provider: "docker", providerReason: "no local servers", versions: { redis: "7.4.1", postgres: "16.4", node: "20.19.0" }, implementation: "challenges/demo/src/index.ts" } };
}

function passingResult(): GradeResult {
  const other = { slug: "other", title: "Other | Thing", stages: [{ slug: "basics", title: "Basics", summary: "" }] };
  return gradeRun(input([raw("basics.a"), raw("basics.b")], {}, other));
}

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** A deliberately strict parser for the subset toJunitXml writes: prolog, elements, attributes, text, entities. */
function parseXml(xml: string): XmlElement {
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at ${at}: ${JSON.stringify(xml.slice(at, at + 40))}`);
  };
  const illegal = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.exec(xml);
  if (illegal) {
    at = illegal.index;
    fail("character illegal in XML 1.0");
  }
  const decode = (text: string): string => {
    if (text.includes("<")) fail("raw < in character data");
    return text.replace(/&([^;&]*);?/g, (whole, ref: string) => {
      if (!whole.endsWith(";")) return fail(`unterminated reference ${whole}`);
      if (/^#x[0-9a-f]+$/i.test(ref)) return String.fromCodePoint(parseInt(ref.slice(2), 16));
      if (/^#\d+$/.test(ref)) return String.fromCodePoint(Number(ref.slice(1)));
      return entities[ref] ?? fail(`unknown entity &${ref};`);
    });
  };
  const consume = (literal: string) => {
    if (!xml.startsWith(literal, at)) fail(`expected ${JSON.stringify(literal)}`);
    at += literal.length;
  };
  const skipSpace = () => {
    const start = at;
    while (/[ \t\r\n]/.test(xml[at] ?? "")) at++;
    return at > start;
  };
  const readName = (): string => {
    const match = /[A-Za-z_:][\w.:-]*/y;
    match.lastIndex = at;
    const found = match.exec(xml) ?? fail("expected a name");
    at += found[0].length;
    return found[0];
  };
  const element = (): XmlElement => {
    consume("<");
    const node: XmlElement = { name: readName(), attributes: {}, children: [], text: "" };
    for (;;) {
      const spaced = skipSpace();
      if (xml.startsWith("/>", at)) {
        at += 2;
        return node;
      }
      if (xml[at] === ">") {
        at++;
        break;
      }
      if (!spaced) fail("attributes must be separated by whitespace");
      const name = readName();
      if (name in node.attributes) fail(`duplicate attribute ${name}`);
      consume('="');
      const end = xml.indexOf('"', at);
      if (end < 0) fail("unterminated attribute value");
      node.attributes[name] = decode(xml.slice(at, end));
      at = end + 1;
    }
    for (;;) {
      if (at >= xml.length) fail(`<${node.name}> is never closed`);
      if (xml.startsWith("</", at)) {
        at += 2;
        const closing = readName();
        if (closing !== node.name) fail(`</${closing}> closes <${node.name}>`);
        skipSpace();
        consume(">");
        return node;
      }
      if (xml[at] === "<") {
        if (/^<[!?]/.test(xml.slice(at, at + 2))) fail("comments, CDATA and processing instructions are not expected");
        node.children.push(element());
        continue;
      }
      const next = xml.indexOf("<", at);
      const end = next < 0 ? xml.length : next;
      node.text += decode(xml.slice(at, end));
      at = end;
    }
  };
  consume('<?xml version="1.0" encoding="UTF-8"?>');
  skipSpace();
  const root = element();
  skipSpace();
  if (at !== xml.length) fail("content after the root element");
  return root;
}

function descendants(node: XmlElement, name: string): XmlElement[] {
  return node.children.flatMap((child) => [...(child.name === name ? [child] : []), ...descendants(child, name)]);
}

function child(node: XmlElement, name: string): XmlElement | undefined {
  return node.children.find((each) => each.name === name);
}

function propertiesOf(node: XmlElement): Record<string, string> {
  const properties = child(node, "properties");
  return Object.fromEntries((properties?.children ?? []).map((property) => [property.attributes.name!, property.attributes.value!]));
}

describe("the strict test parser", () => {
  test.each([
    ["two roots", '<?xml version="1.0" encoding="UTF-8"?>\n<a/><b/>'],
    ["unclosed tag", '<?xml version="1.0" encoding="UTF-8"?>\n<a><b></a>'],
    ["raw ampersand", '<?xml version="1.0" encoding="UTF-8"?>\n<a>x & y</a>'],
    ["raw < in an attribute", '<?xml version="1.0" encoding="UTF-8"?>\n<a b="<"/>'],
    ["control character", '<?xml version="1.0" encoding="UTF-8"?>\n<a>\u001b[31m</a>'],
    ["missing prolog", "<a/>"],
  ])("rejects %s", (_, xml) => {
    expect(() => parseXml(xml)).toThrow();
  });

  test("accepts what it should", () => {
    const root = parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a x="1 &amp; &#10;2"><b/>t&lt;</a>\n');
    expect(root).toMatchObject({ name: "a", attributes: { x: "1 & \n2" }, text: "t<", children: [{ name: "b" }] });
  });
});

describe("toJunitXml", () => {
  const results = [mixedResult(), passingResult()];
  const xml = toJunitXml(results);
  const root = parseXml(xml);
  const cases = descendants(root, "testcase");
  const byName = (name: string) => cases.find((testcase) => testcase.attributes.name === name)!;

  test("is one well-formed testsuites document with correct totals", () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(root.name).toBe("testsuites");
    // 6 demo tests + the run-error testcase + 2 for other.
    expect(root.attributes).toEqual({ name: "backend-katas", tests: "9", failures: "1", errors: "4", skipped: "1", time: "0.200" });
    expect(cases).toHaveLength(9);
    expect(descendants(root, "failure")).toHaveLength(1);
    expect(descendants(root, "error")).toHaveLength(4);
    expect(descendants(root, "skipped")).toHaveLength(1);
  });

  test("one testsuite per challenge stage, plus one for run errors, with counts matching their testcases", () => {
    expect(root.children.map((suite) => suite.name)).toEqual(["testsuite", "testsuite", "testsuite", "testsuite"]);
    expect(root.children.map((suite) => suite.attributes.name)).toEqual(["demo/one", "demo/two", "demo", "other/basics"]);
    for (const suite of root.children) {
      const suiteCases = suite.children.filter((each) => each.name === "testcase");
      const withChild = (name: string) => String(suiteCases.filter((testcase) => child(testcase, name)).length);
      expect(suite.attributes).toMatchObject({ tests: String(suiteCases.length), failures: withChild("failure"), errors: withChild("error"), skipped: withChild("skipped") });
    }
    expect(root.children[0]!.attributes.time).toBe("1.239");
  });

  test("testcases carry classname, id, time and points as their first child", () => {
    const failed = byName("one.b");
    expect(failed.attributes).toEqual({ classname: "demo.one", name: "one.b", time: "1.234" });
    expect(failed.children[0]!.name).toBe("properties");
    expect(propertiesOf(failed)).toEqual({ points: "2", earned: "0", verdict: "failed" });
    expect(propertiesOf(byName("one.a"))).toEqual({ points: "2", earned: "2", verdict: "passed" });
    expect(byName("one.a").children.map((each) => each.name)).toEqual(["properties", "system-out"]);
  });

  test("verdicts map to failure, error and skipped", () => {
    const assertion = child(byName("one.b"), "failure")!;
    expect(assertion.attributes).toEqual({ message: nastyClean, type: "AssertionError" });
    expect(assertion.text).toBe(`${nastyClean}\n\nExpected: 1\nReceived: 2\n\nHint: Compare carefully.`);
    expect(child(byName("two.a"), "error")!.attributes).toMatchObject({ type: "error", message: expect.stringContaining("TypeError: x is not a function (got a | b)\nat make (<solution>/index.ts:3:5)") });
    expect(child(byName("two.a"), "error")!.text).toMatch(/Hint: Something you call is not a function/);
    expect(child(byName("two.c"), "error")!.attributes).toEqual({ message: "Not implemented yet.", type: "not-implemented" });
    expect(child(byName("two.d"), "error")!.attributes.type).toBe("timeout");
    expect(child(byName("two.b"), "skipped")!.attributes).toEqual({ message: "no faults here" });
    expect(child(byName("two.b"), "skipped")!.children).toEqual([]);
    expect(child(byName("one.a"), "system-out")!.text).toBe("hello from the learner\n");
  });

  test("escapes markup and strips control characters and ANSI codes", () => {
    expect(xml).toContain('message="Bad &lt;tag&gt; &amp; &quot;quotes&quot; &apos;apos&apos; done"');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(xml).not.toContain("<tag>");
    // A newline inside an attribute would be normalised to a space by parsers.
    expect(xml).toContain("(got a | b)&#10;at make (&lt;solution&gt;/index.ts:3:5)");
  });

  test("run errors become a `run` testcase, and suites carry score and environment", () => {
    const run = byName("run");
    expect(run.attributes).toMatchObject({ classname: "demo", name: "run" });
    expect(child(run, "error")!.attributes).toMatchObject({ type: "run-error", message: expect.stringContaining("outside any test") });
    expect(child(run, "error")!.text).toMatch(/boom\nHint: A promise rejected/);
    expect(propertiesOf(root.children[1]!)).toMatchObject({
      "stage.status": "failed",
      points: "8",
      earned: "0",
      score: "0",
      "challenge.score": "16",
      "challenge.points": "12",
      "challenge.earned": "2",
      partial: "true",
      provider: "docker",
      "version.redis": "7.4.1",
      "version.postgres": "16.4",
      "version.node": "20.19.0",
    });
    expect(propertiesOf(root.children[3]!)).not.toHaveProperty("provider");
  });

  test("no results is still a valid, empty document", () => {
    expect(parseXml(toJunitXml([])).attributes).toMatchObject({ tests: "0", failures: "0", errors: "0", skipped: "0" });
  });
});

describe("toMarkdownSummary", () => {
  const mixed = mixedResult();
  const markdown = toMarkdownSummary([mixed, passingResult()]);

  test("a summary table with one row per challenge", () => {
    expect(markdown.startsWith("## Backend Katas results\n")).toBe(true);
    expect(markdown).toContain("1 of 2 challenges passed.");
    expect(markdown).toContain("| ❌ | Demo (`demo`) | 16% ⚠️ partial | 2/12 | 0/2 | docker |");
    expect(markdown).toContain("| ✅ | Other \\| Thing (`other`) | 100% | 4/4 | 1/1 | — |");
  });

  test("a stage table per challenge and a partial-grade note", () => {
    expect(markdown).toContain("### ❌ Demo (`demo`)");
    expect(markdown).toContain("| ❌ | One | `one` | 2/4 |");
    expect(markdown).toContain("| ❌ | Two | `two` | 0/8 |");
    expect(markdown).toContain("### ✅ Other \\| Thing (`other`)");
    expect(markdown).toContain("| ✅ | Basics | `basics` | 4/4 |");
    expect(markdown).toContain("> ⚠️ **Partial grade:** 1 test skipped: no faults here.");
  });

  test("failures in a details block: escaped cells, full multi-line messages in fences, hints", () => {
    const details = markdown.slice(markdown.indexOf("<details>"), markdown.indexOf("</details>"));
    expect(details.startsWith("<details><summary>Failures (5)</summary>")).toBe(true);
    expect(details).toContain("| `one.b` | failed | Bad \\<tag\\> &amp; \"quotes\" 'apos' done | Compare carefully. |");
    expect(details).toContain("| `two.a` | error | TypeError: x is not a function (got a \\| b) (more below) | Something you call is not a function");
    expect(details).toContain("```text\nTypeError: x is not a function (got a | b)\nat make (<solution>/index.ts:3:5)\n```");
    expect(details).toContain("```text\nExpected: 1\nReceived: 2\n```");
    expect(details).toContain("| `two.b` | skipped | no faults here |");
    expect(markdown).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(markdown.match(/^<details>/gm)).toHaveLength(1);
    // Every fence opened is closed.
    expect((markdown.match(/^```/gm) ?? []).length % 2).toBe(0);
  });

  test("run errors and the ungraded throughput line", () => {
    expect(markdown).toContain("- ❌ Your code raised an error outside any test");
    expect(markdown).toContain("Throughput (not graded): x yours 50 ops/s, reference 100 ops/s (0.50×)");
  });

  test("a message containing a fence cannot close its block early", () => {
    const result = gradeRun(input([raw("one.a", failure("AssertionError", "line one\n```\nline three")), raw("two.a")]));
    const summary = toMarkdownSummary([result]);
    expect(summary).toContain("````text\nline one\n```\nline three\n````");
  });

  test("no results", () => {
    expect(toMarkdownSummary([])).toContain("No challenges were graded.");
  });
});
