import path from "node:path";
import type { Reporter, TestCase, TestModule } from "vitest/node";
import type { GradedTestMeta, RawError, RawRun, RawTestResult } from "./raw-run.ts";

declare module "vitest" {
  interface TaskMeta {
    katas?: GradedTestMeta;
  }
}

type SerializedErrorLike = { name?: string; message?: string; stack?: string; expected?: unknown; actual?: unknown; diff?: string };

/** String() that never throws: a serialized value can be an object without a prototype (no toString). */
function text(value: unknown): string {
  try {
    return String(value);
  } catch {
    try {
      return JSON.stringify(value) ?? Object.prototype.toString.call(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
}

export function toRawError(error: unknown): RawError {
  const e = (error ?? {}) as SerializedErrorLike;
  return {
    name: e.name ?? "Error",
    message: e.message ?? text(error),
    stack: e.stack,
    expected: e.expected === undefined ? undefined : text(e.expected),
    actual: e.actual === undefined ? undefined : text(e.actual),
    diff: e.diff,
  };
}

function stageOfFile(file: string): string {
  return path.basename(file).replace(/\.test\.ts$/, "");
}

const maxOutputChars = 4000;

/** Collects results while vitest runs; grading happens later, on plain data. */
export class GradeReporter implements Reporter {
  private readonly results = new Map<string, RawTestResult>();
  private readonly output = new Map<string, string>();
  private readonly modules = new Map<string, TestModule>();
  private unhandled: RawError[] = [];

  /** Forgets the previous run (a session grades the same files again). */
  reset(): void {
    this.results.clear();
    this.output.clear();
    this.modules.clear();
    this.unhandled = [];
  }

  onTestModuleCollected(module: TestModule): void {
    this.modules.set(module.moduleId, module);
  }

  onUserConsoleLog(log: { content: string; taskId?: string }): void {
    if (!log.taskId) return;
    const previous = this.output.get(log.taskId) ?? "";
    if (previous.length < maxOutputChars) this.output.set(log.taskId, (previous + log.content).slice(0, maxOutputChars));
  }

  onTestCaseResult(test: TestCase): void {
    this.results.set(test.id, this.toRaw(test));
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    for (const module of modules) this.modules.set(module.moduleId, module);
    this.unhandled = unhandledErrors.map(toRawError);
  }

  private toRaw(test: TestCase): RawTestResult {
    const result = test.result();
    const diagnostic = test.diagnostic();
    return {
      name: test.name,
      meta: test.meta().katas,
      state: result.state,
      errors: (result.errors ?? []).map(toRawError),
      durationMs: diagnostic?.duration ?? 0,
      note: "note" in result ? result.note : undefined,
      output: this.output.get(test.id) ?? "",
      fileStage: stageOfFile(test.module.moduleId),
    };
  }

  /** Everything collected; tests that never reported (a hung run) come back `pending`. */
  snapshot(durationMs: number, deadlineExceeded: boolean): RawRun {
    const tests: RawTestResult[] = [];
    const moduleErrors: RawRun["moduleErrors"] = [];
    for (const module of this.modules.values()) {
      for (const error of module.errors()) moduleErrors.push({ stage: stageOfFile(module.moduleId), error: toRawError(error) });
      for (const test of module.children.allTests()) {
        tests.push(this.results.get(test.id) ?? { ...this.toRaw(test), state: "pending" });
      }
    }
    return { tests, unhandledErrors: this.unhandled, moduleErrors, deadlineExceeded, durationMs };
  }
}
